//! The request to presign: method, URL, extra signed headers, extra query parameters, expiry.

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use crate::error::{Error, Result};
use crate::sigv4::canonical_headers::{Header, canonical_headers, is_token};
use crate::sigv4::canonical_uri::check_wire_path;
use crate::sigv4::credentials::Credentials;
use crate::sigv4::inputs::{IntoMethod, IntoUrl};
use crate::sigv4::settings::PayloadHash;
use crate::sigv4::target::{PathForm, Scheme, Target, TargetRef};

/// The expiry used when a request does not set one: one hour.
pub const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(3600);

/// The longest expiry SigV4 allows: seven days (604800 seconds).
pub const MAX_EXPIRES_IN: Duration = Duration::from_secs(604_800);

/// A request to presign, built in the style of `http::request::Builder`: every method takes
/// and returns the request, and nothing is checked until [`Presigner::presign`] runs, which
/// reports the first problem as an [`Error`](crate::Error).
///
/// Strings may be borrowed (`&str`) or owned (`String`).
///
/// ```
/// use std::time::Duration;
/// use sigv4_presign::PresignRequest;
///
/// let request = PresignRequest::put("https://my-bucket.s3.us-west-2.amazonaws.com/avatars/42.png")
///     .header("Content-Type", "image/png")
///     .expires_in(Duration::from_secs(600));
/// # let _ = request;
/// ```
///
/// [`Presigner::presign`]: crate::Presigner::presign
///
/// `Debug` shows header names and the path, never header values or the query, which may
/// hold a secret (an SSE-C key, a token).
#[derive(Clone, PartialEq, Eq)]
pub struct PresignRequest<'a> {
    pub(crate) method: Cow<'a, str>,
    pub(crate) destination: Destination<'a>,
    pub(crate) headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub(crate) query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub(crate) expires_in: Duration,
    pub(crate) payload_hash: Option<PayloadHash>,
    pub(crate) verbatim_path: bool,
    pub(crate) clamp_to_credentials: bool,
}

impl<'a> PresignRequest<'a> {
    /// A request with any method (`GET`, `PUT`, …; an HTTP token, case kept as given) for
    /// an absolute `http`/`https` URL.
    ///
    /// The URL is taken in wire form: percent-escapes in its path and query are kept as
    /// escapes and never encoded a second time. In its query, `+` means a space, as browsers
    /// and AWS's SDKs read it; to send a literal `+`, write `%2B` or use
    /// [`PresignRequest::query`].
    pub fn new(method: impl IntoMethod<'a>, url: impl IntoUrl<'a>) -> Self {
        Self::to(method.into_method(), Destination::Url(url.into_url()))
    }

    /// A request with any method for a [`Target`] given in parts, which is signed as it is,
    /// without printing and reading a URL.
    ///
    /// ```
    /// use sigv4_presign::sigv4::{Scheme, Target};
    /// use sigv4_presign::PresignRequest;
    ///
    /// let target = Target::new(Scheme::Https, "my-bucket.s3.amazonaws.com")?.with_raw_path("/a b.txt");
    /// let request = PresignRequest::for_target("GET", target);
    /// # Ok::<(), sigv4_presign::Error>(())
    /// ```
    pub fn for_target(method: impl IntoMethod<'a>, target: Target<'a>) -> Self {
        Self::to(method.into_method(), Destination::Target(target))
    }

    fn to(method: Cow<'a, str>, destination: Destination<'a>) -> Self {
        Self {
            method,
            destination,
            headers: Vec::new(),
            query: Vec::new(),
            expires_in: DEFAULT_EXPIRES_IN,
            payload_hash: None,
            verbatim_path: false,
            clamp_to_credentials: false,
        }
    }

    /// A `GET` request.
    pub fn get(url: impl IntoUrl<'a>) -> Self {
        Self::new("GET", url)
    }

    /// A `PUT` request.
    pub fn put(url: impl IntoUrl<'a>) -> Self {
        Self::new("PUT", url)
    }

    /// A `HEAD` request.
    pub fn head(url: impl IntoUrl<'a>) -> Self {
        Self::new("HEAD", url)
    }

    /// A `DELETE` request.
    pub fn delete(url: impl IntoUrl<'a>) -> Self {
        Self::new("DELETE", url)
    }

    /// A `POST` request.
    pub fn post(url: impl IntoUrl<'a>) -> Self {
        Self::new("POST", url)
    }

    /// Adds a header to sign. `host` is always signed (from the URL) and need not be given.
    ///
    /// Names are case-insensitive. Values are trimmed and runs of spaces collapsed, as
    /// SigV4 prescribes. A name given twice (in any case) becomes one header whose values
    /// are joined with `,` in the order given. The client that uses the URL must send every
    /// header signed here: [`PresignedUrl::headers`](crate::PresignedUrl::headers)
    /// lists them.
    pub fn header(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter, raw: the name and value are the text itself, not yet
    /// encoded (`"a b&c"` is sent as `a%20b%26c`). Use it for any value that is not already
    /// percent-encoded, so nothing is ever encoded by hand.
    ///
    /// ```
    /// # use sigv4_presign::PresignRequest;
    /// let request = PresignRequest::get("https://my-bucket.s3.amazonaws.com/report.pdf")
    ///     .query("response-content-disposition", r#"attachment; filename="Q3 report.pdf""#);
    /// # let _ = request;
    /// ```
    pub fn query(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// How long the URL stays valid: whole seconds, from 1 s to 7 days
    /// ([`MAX_EXPIRES_IN`]). Defaults to [`DEFAULT_EXPIRES_IN`], one hour.
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// When the credentials carry an expiry ([`Credentials::with_expiration`]) earlier than
    /// the URL's, shortens the URL's expiry to end with them instead of refusing it.
    ///
    /// [`Credentials::with_expiration`]: crate::Credentials::with_expiration
    pub fn clamp_to_credentials(mut self) -> Self {
        self.clamp_to_credentials = true;
        self
    }

    /// Signs and emits the URL's path byte for byte, even characters a URL cannot carry
    /// (a raw space, non-ASCII text).
    ///
    /// By default, for services other than S3, such characters are percent-encoded once in
    /// the emitted URL (as browsers and URL libraries would before sending it), and the
    /// signature covers that wire form. Use this only for a client that sends the raw bytes
    /// in its request line, as AWS's CRT test suite models; with S3 it changes only the
    /// emitted URL, never the signature.
    pub fn verbatim_path(mut self) -> Self {
        self.verbatim_path = true;
        self
    }

    /// The payload hash of this request, overriding the presigner's
    /// [`Settings::payload_hash`](crate::Settings::payload_hash).
    pub fn payload_hash(mut self, payload_hash: PayloadHash) -> Self {
        self.payload_hash = Some(payload_hash);
        self
    }
}

/// Where a request goes: a URL still to be read, or a target in parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Destination<'a> {
    Url(Cow<'a, str>),
    Target(Target<'a>),
}

impl fmt::Debug for PresignRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = match &self.destination {
            Destination::Url(url) => url.split('?').next().unwrap_or_default(),
            Destination::Target(target) => target.path(),
        };
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_ref()).collect();
        let query_names: Vec<&str> = self.query.iter().map(|(n, _)| n.as_ref()).collect();
        f.debug_struct("PresignRequest")
            .field("method", &self.method)
            .field("url_without_query", &path)
            .field("header_names", &header_names)
            .field("query_names", &query_names)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

impl PresignRequest<'_> {
    /// The signed headers besides `host` (whose canonical value is `host`), canonical and
    /// sorted, for a request to `scheme`.
    #[inline]
    pub(crate) fn signed_headers(&self, host: &str, scheme: Scheme) -> Result<Vec<Header>> {
        if self.headers.is_empty() {
            return Ok(Vec::new());
        }
        canonical_headers(
            self.headers.iter().map(|(n, v)| (n.as_ref(), v.as_ref())),
            host,
            scheme.default_port(),
        )
    }
}

/// What every presigner checks before it writes: the method, the expiry (fitted to
/// `credentials`, for a URL signed at `second`, Unix time) and where the request goes.
#[inline]
pub(crate) fn check_request<'r>(
    request: &'r PresignRequest<'_>,
    credentials: &Credentials,
    second: i64,
) -> Result<(Cow<'static, str>, u32, TargetRef<'r>)> {
    let method = check_method(&request.method)?;
    let expires = fit_to_credentials(
        credentials,
        second,
        check_expires(request.expires_in)?,
        request.clamp_to_credentials,
    )?;
    check_expiry_is_writable(second, expires)?;
    let target = match &request.destination {
        Destination::Url(url) => TargetRef::parse(url)?,
        Destination::Target(target) => {
            let target = target.as_ref();
            target.check()?;
            target
        }
    };
    if target.path_form == PathForm::Wire {
        check_wire_path(target.path)?;
    }
    Ok((method, expires, target))
}

/// Checks a method: an HTTP token; the usual ones are not copied.
pub(crate) fn check_method(method: &str) -> Result<Cow<'static, str>> {
    Ok(match method {
        "GET" => Cow::Borrowed("GET"),
        "PUT" => Cow::Borrowed("PUT"),
        "HEAD" => Cow::Borrowed("HEAD"),
        "POST" => Cow::Borrowed("POST"),
        "DELETE" => Cow::Borrowed("DELETE"),
        // Methods are case-sensitive, and AWS's are upper case: `get` is refused there.
        m if is_token(m) && !m.bytes().any(|b| b.is_ascii_lowercase()) => Cow::Owned(m.into()),
        m => return Err(Error::InvalidMethod { method: m.into() }),
    })
}

/// Checks that a URL signed at `second` (Unix time) and valid `expires` seconds ends no
/// later than `credentials` do, and returns its expiry: `expires`, or with `clamp`, the
/// credentials' remaining lifetime when that is shorter.
pub(crate) fn fit_to_credentials(
    credentials: &Credentials,
    second: i64,
    expires: u32,
    clamp: bool,
) -> Result<u32> {
    let Some(limit) = credentials.expiration() else {
        return Ok(expires);
    };
    let left = limit.unix_timestamp().saturating_sub(second);
    if left <= 0 {
        return Err(Error::CredentialsExpired { expired_at: limit });
    }
    if left >= i64::from(expires) {
        return Ok(expires);
    }
    if clamp {
        return Ok(left as u32);
    }
    let at = |s: i64| time::OffsetDateTime::from_unix_timestamp(s).unwrap_or(limit);
    Err(Error::OutlivesCredentials {
        url_expires_at: at(second.saturating_add(i64::from(expires))),
        credentials_expire_at: limit,
    })
}

/// Checks an expiry: whole seconds, 1 s to [`MAX_EXPIRES_IN`]; returns the seconds.
pub(crate) fn check_expires(expires_in: Duration) -> Result<u32> {
    if expires_in.subsec_nanos() != 0 {
        return Err(Error::ExpiresNotWholeSeconds);
    }
    let seconds = expires_in.as_secs();
    if seconds == 0 || expires_in > MAX_EXPIRES_IN {
        return Err(Error::ExpiresOutOfRange { seconds });
    }
    Ok(seconds as u32)
}

/// 9999-12-31T23:59:59Z, the last second SigV4's date format can write.
const LAST_SECOND: i64 = 253_402_300_799;

/// The expiry must be a time SigV4 can write (the year 9999 at the latest).
pub(crate) fn check_expiry_is_writable(second: i64, expires: u32) -> Result<()> {
    if second > LAST_SECOND - i64::from(expires) {
        Err(Error::TimeOutOfRange)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_values() {
        let request = PresignRequest::put("https://b.s3.amazonaws.com/k?versionId=SeCrEt1")
            .header("x-amz-server-side-encryption-customer-key", "SeCrEt2")
            .query("x", "SeCrEt3");
        let shown = alloc::format!("{request:?}");
        assert!(!shown.contains("SeCrEt"), "{shown}");
        assert!(shown.contains("x-amz-server-side-encryption-customer-key"));
        assert!(shown.contains("https://b.s3.amazonaws.com/k"));
    }

    #[test]
    fn expiry_bounds() {
        assert_eq!(check_expires(Duration::from_secs(1)), Ok(1));
        assert_eq!(check_expires(MAX_EXPIRES_IN), Ok(604_800));
        assert_eq!(
            check_expires(Duration::from_secs(0)),
            Err(Error::ExpiresOutOfRange { seconds: 0 })
        );
        assert_eq!(
            check_expires(MAX_EXPIRES_IN + Duration::from_secs(1)),
            Err(Error::ExpiresOutOfRange { seconds: 604_801 })
        );
        assert_eq!(
            check_expires(Duration::from_millis(1500)),
            Err(Error::ExpiresNotWholeSeconds)
        );
    }

    #[test]
    fn expiry_within_the_credentials() {
        let at = |s| time::OffsetDateTime::from_unix_timestamp(s).unwrap();
        let plain = Credentials::new("A", "s").unwrap();
        assert_eq!(
            fit_to_credentials(&plain, 1000, 604_800, false),
            Ok(604_800)
        );
        let creds = plain.with_expiration(at(4000));
        assert_eq!(fit_to_credentials(&creds, 1000, 3000, false), Ok(3000));
        assert_eq!(fit_to_credentials(&creds, 1000, 3001, true), Ok(3000));
        assert_eq!(
            fit_to_credentials(&creds, 1000, 3001, false),
            Err(Error::OutlivesCredentials {
                url_expires_at: at(4001),
                credentials_expire_at: at(4000)
            })
        );
        for second in [4000, 4001, 9000] {
            assert_eq!(
                fit_to_credentials(&creds, second, 1, true),
                Err(Error::CredentialsExpired {
                    expired_at: at(4000)
                })
            );
        }
        assert_eq!(fit_to_credentials(&creds, 3999, 60, true), Ok(1));
    }

    #[test]
    fn usual_methods_are_not_copied() {
        assert!(matches!(check_method("GET"), Ok(Cow::Borrowed("GET"))));
        assert!(matches!(check_method("PATCH"), Ok(Cow::Owned(m)) if m == "PATCH"));
        assert!(matches!(
            check_method("G T"),
            Err(Error::InvalidMethod { .. })
        ));
        assert!(matches!(check_method(""), Err(Error::InvalidMethod { .. })));
    }
}
