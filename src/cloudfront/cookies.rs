//! Signed cookies: the name/value pairs, and `Set-Cookie` header values with the
//! attributes a site chooses.

use alloc::string::String;
use alloc::vec::Vec;

use crate::cloudfront::CloudFrontError;

/// The cookies that grant a policy: `CloudFront-Expires` (canned) or `CloudFront-Policy`
/// (custom), `CloudFront-Signature`, `CloudFront-Key-Pair-Id`, and
/// `CloudFront-Hash-Algorithm` for SHA-256. Made by
/// [`Signer::sign_cookies`](crate::cloudfront::Signer::sign_cookies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCookies {
    pub(crate) cookies: Vec<(&'static str, String)>,
}

impl SignedCookies {
    /// The cookies as `(name, value)`, in the order CloudFront documents them.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone + '_ {
        self.cookies.iter().map(|(n, v)| (*n, v.as_str()))
    }

    /// One `Set-Cookie` header value per cookie, with `attributes`.
    ///
    /// ```
    /// use sigv4_presign::cloudfront::{CookieAttributes, Policy, PrivateKey, SameSite, Signer};
    /// use time::macros::datetime;
    ///
    /// let key = PrivateKey::from_pem(include_str!("../../tests/vectors/cloudfront/ec-sec1.pem"))?;
    /// let signer = Signer::new("K2JCJMDEHXQW5F", key)?;
    /// let cookies = signer.sign_cookies(
    ///     "https://d111111abcdef8.cloudfront.net/images/*",
    ///     &Policy::new(datetime!(2026-01-01 0:00 UTC))?,
    /// )?;
    /// let attributes = CookieAttributes::new()
    ///     .domain("d111111abcdef8.cloudfront.net")?
    ///     .path("/images/")?
    ///     .same_site(SameSite::Lax);
    /// let headers = cookies.set_cookie_headers(&attributes);
    /// assert!(headers[0].starts_with("CloudFront-Policy="));
    /// assert!(headers[2].starts_with("CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F; Domain=d111111abcdef8.cloudfront.net; Path=/images/; Secure; HttpOnly; SameSite=Lax"));
    /// # Ok::<(), sigv4_presign::cloudfront::CloudFrontError>(())
    /// ```
    pub fn set_cookie_headers(&self, attributes: &CookieAttributes) -> Vec<String> {
        self.iter()
            .map(|(name, value)| {
                let mut header = String::with_capacity(name.len() + value.len() + 96);
                header.push_str(name);
                header.push('=');
                header.push_str(value);
                attributes.push_to(&mut header);
                header
            })
            .collect()
    }
}

/// `SameSite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=None` (which browsers accept with `Secure` only).
    None,
}

/// The attributes of the `Set-Cookie` headers: `Secure` and `HttpOnly` by default (what
/// CloudFront's documentation shows), no `Domain` (the host that sets them), no `Path`,
/// no `SameSite`. No `Expires` or `Max-Age`: as CloudFront advises, the cookies end with
/// the browser session; the policy ends the access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieAttributes {
    domain: Option<String>,
    path: Option<String>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
}

impl Default for CookieAttributes {
    fn default() -> Self {
        Self::new()
    }
}

impl CookieAttributes {
    /// `Secure; HttpOnly`.
    pub fn new() -> Self {
        Self {
            domain: None,
            path: None,
            secure: true,
            http_only: true,
            same_site: None,
        }
    }

    /// `Domain=…`: the distribution's domain or an alternate domain name.
    ///
    /// Errors: [`CloudFrontError::InvalidCookieAttribute`] unless it is a host name.
    pub fn domain(mut self, domain: &str) -> Result<Self, CloudFrontError> {
        let ok = !domain.is_empty()
            && domain.len() <= 253
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !ok {
            return Err(CloudFrontError::InvalidCookieAttribute {
                attribute: "domain",
                reason: "give a host name such as d111111abcdef8.cloudfront.net",
            });
        }
        self.domain = Some(domain.into());
        Ok(self)
    }

    /// `Path=…`, starting with `/`.
    ///
    /// Errors: [`CloudFrontError::InvalidCookieAttribute`] for a path that does not start
    /// with `/` or holds `;`, a space or a control character.
    pub fn path(mut self, path: &str) -> Result<Self, CloudFrontError> {
        if !path.starts_with('/') || path.bytes().any(|b| b <= b' ' || b == b';' || b >= 0x7f) {
            return Err(CloudFrontError::InvalidCookieAttribute {
                attribute: "path",
                reason: "a path starts with / and holds no ;, space or control character",
            });
        }
        self.path = Some(path.into());
        Ok(self)
    }

    /// Whether `Secure` is set (yes by default; only plain-http development turns it off).
    pub fn secure(mut self, on: bool) -> Self {
        self.secure = on;
        self
    }

    /// Whether `HttpOnly` is set (yes by default: scripts need not read the cookies).
    pub fn http_only(mut self, on: bool) -> Self {
        self.http_only = on;
        self
    }

    /// `SameSite=…`.
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = Some(same_site);
        self
    }

    fn push_to(&self, header: &mut String) {
        if let Some(domain) = &self.domain {
            header.push_str("; Domain=");
            header.push_str(domain);
        }
        if let Some(path) = &self.path {
            header.push_str("; Path=");
            header.push_str(path);
        }
        if self.secure {
            header.push_str("; Secure");
        }
        if self.http_only {
            header.push_str("; HttpOnly");
        }
        if let Some(same_site) = self.same_site {
            header.push_str(match same_site {
                SameSite::Strict => "; SameSite=Strict",
                SameSite::Lax => "; SameSite=Lax",
                SameSite::None => "; SameSite=None",
            });
        }
    }
}
