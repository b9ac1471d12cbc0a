//! Signing: the URL parameters (`Expires` or `Policy`, `Signature`, `Key-Pair-Id`, and
//! `Hash-Algorithm` for SHA-256) and the cookies that carry the same values.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::base64;
use crate::cloudfront::cookies::SignedCookies;
use crate::cloudfront::policy::resource_matches;
use crate::cloudfront::{CloudFrontError, HashAlgorithm, Policy, PrivateKey};

/// The query parameters CloudFront reads, which a URL to sign may not carry already.
pub(crate) const SIGNING_PARAMETERS: [&str; 5] = [
    "Expires",
    "Policy",
    "Signature",
    "Key-Pair-Id",
    "Hash-Algorithm",
];

/// Signs CloudFront URLs and cookies with one key pair: the id of the public key in
/// CloudFront (in a trusted key group) and its private key, parsed once.
///
/// ```
/// use sigv4_presign::cloudfront::{Policy, PrivateKey, Signer};
/// use time::macros::datetime;
///
/// let key = PrivateKey::from_pem(include_str!("../../tests/vectors/cloudfront/ec-sec1.pem"))?;
/// let signer = Signer::new("K2JCJMDEHXQW5F", key)?;
/// let url = signer.sign_url(
///     "https://d111111abcdef8.cloudfront.net/images/photo.jpg",
///     &Policy::new(datetime!(2026-01-01 0:00 UTC))?,
/// )?;
/// assert!(url.starts_with("https://d111111abcdef8.cloudfront.net/images/photo.jpg?Expires=1767225600&Signature="));
/// assert!(url.ends_with("&Key-Pair-Id=K2JCJMDEHXQW5F"));
/// # Ok::<(), sigv4_presign::cloudfront::CloudFrontError>(())
/// ```
pub struct Signer {
    key_pair_id: String,
    key: PrivateKey,
    hash: HashAlgorithm,
}

impl Signer {
    /// A signer for the key pair `key_pair_id` (CloudFront's ID of the public key, such as
    /// `K2JCJMDEHXQW5F`), signing over SHA-1, CloudFront's default (see
    /// [`Signer::with_hash_algorithm`]).
    ///
    /// Errors: [`CloudFrontError::InvalidKeyPairId`] unless it is 1 to 128 ASCII letters
    /// and digits.
    pub fn new(key_pair_id: impl Into<String>, key: PrivateKey) -> Result<Self, CloudFrontError> {
        let key_pair_id = key_pair_id.into();
        if key_pair_id.is_empty()
            || key_pair_id.len() > 128
            || !key_pair_id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(CloudFrontError::InvalidKeyPairId(
                key_pair_id.chars().take(64).collect(),
            ));
        }
        Ok(Self {
            key_pair_id,
            key,
            hash: HashAlgorithm::Sha1,
        })
    }

    /// Signs over `hash` (SHA-256 adds `Hash-Algorithm=SHA256` to URLs and
    /// `CloudFront-Hash-Algorithm=SHA256` to cookies).
    pub fn with_hash_algorithm(mut self, hash: HashAlgorithm) -> Self {
        self.hash = hash;
        self
    }

    /// The key pair id.
    pub fn key_pair_id(&self) -> &str {
        &self.key_pair_id
    }

    /// The hash signatures are made over.
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    /// The private key.
    pub fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// Signs `url` (absolute, http or https, percent-encoded as it will be sent, without a
    /// fragment) under `policy`. A canned policy (`Expires=`) is used when the policy has
    /// no start date, no IP range and no resource other than `url`, and `url` holds no `*`;
    /// a custom policy (`Policy=`) otherwise, as `aws cloudfront sign` decides. The URL's
    /// own query parameters are kept, the signing parameters follow them.
    ///
    /// Errors: [`CloudFrontError::InvalidUrl`] for a URL CloudFront cannot match (not
    /// absolute http(s), a fragment, a space or control character, a signing parameter
    /// already present); [`CloudFrontError::InvalidPolicy`] for a start date at or after
    /// the end (a policy that grants nothing), or a resource that does not match `url`.
    pub fn sign_url(&self, url: &str, policy: &Policy) -> Result<String, CloudFrontError> {
        check_url(url)?;
        check_dates(policy)?;
        if let Some(resource) = policy.resource()
            && !resource_matches(resource, url)
        {
            return Err(CloudFrontError::InvalidPolicy(
                "the policy's resource does not cover the URL, so CloudFront would refuse it: \
                 sign a URL the resource (with its * and ? wildcards) matches",
            ));
        }
        let json = policy.to_json(url);
        let signature = self.key.sign(json.as_bytes(), self.hash)?;
        let mut out = String::with_capacity(url.len() + 2 * json.len() + 512);
        out.push_str(url);
        out.push(if url.contains('?') { '&' } else { '?' });
        if policy.is_canned_for(url) {
            out.push_str("Expires=");
            out.push_str(itoa(policy.date_less_than()).as_str());
        } else {
            out.push_str("Policy=");
            out.push_str(&encode(json.as_bytes()));
        }
        out.push_str("&Signature=");
        out.push_str(&encode(&signature));
        out.push_str("&Key-Pair-Id=");
        out.push_str(&self.key_pair_id);
        if self.hash == HashAlgorithm::Sha256 {
            out.push_str("&Hash-Algorithm=SHA256");
        }
        Ok(out)
    }

    /// Signed cookies granting `policy` for `resource` (a URL, usually with wildcards:
    /// `https://d111111abcdef8.cloudfront.net/images/*`; a policy's own resource wins).
    /// Canned (`CloudFront-Expires`) when the policy is canned for `resource`, custom
    /// (`CloudFront-Policy`) otherwise.
    ///
    /// Errors: [`CloudFrontError::InvalidPolicy`] for an empty resource, or a start date at
    /// or after the end.
    pub fn sign_cookies(
        &self,
        resource: &str,
        policy: &Policy,
    ) -> Result<SignedCookies, CloudFrontError> {
        check_dates(policy)?;
        if resource.is_empty() && policy.resource().is_none() {
            return Err(CloudFrontError::InvalidPolicy(
                "the cookies need a resource: the URL (or URL pattern) they grant",
            ));
        }
        let json = policy.to_json(resource);
        let signature = encode(&self.key.sign(json.as_bytes(), self.hash)?);
        let mut cookies = Vec::with_capacity(4);
        if policy.is_canned_for(resource) {
            cookies.push(("CloudFront-Expires", itoa(policy.date_less_than())));
        } else {
            cookies.push(("CloudFront-Policy", encode(json.as_bytes())));
        }
        cookies.push(("CloudFront-Signature", signature));
        cookies.push(("CloudFront-Key-Pair-Id", self.key_pair_id.clone()));
        if self.hash == HashAlgorithm::Sha256 {
            cookies.push(("CloudFront-Hash-Algorithm", "SHA256".into()));
        }
        Ok(SignedCookies { cookies })
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("key_pair_id", &self.key_pair_id)
            .field("key", &self.key)
            .field("hash", &self.hash)
            .finish()
    }
}

/// CloudFront's URL-safe base64: standard base64 with `+` → `-`, `=` → `_`, `/` → `~`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    base64::encode_standard(bytes)
        .chars()
        .map(|c| match c {
            '+' => '-',
            '=' => '_',
            '/' => '~',
            c => c,
        })
        .collect()
}

/// The inverse of [`encode`].
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    if text.bytes().any(|b| matches!(b, b'+' | b'=' | b'/')) {
        return None;
    }
    let standard: String = text
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '=',
            '~' => '/',
            c => c,
        })
        .collect();
    base64::decode_standard(&standard)
}

/// A policy whose start is not before its end grants nothing.
fn check_dates(policy: &Policy) -> Result<(), CloudFrontError> {
    match policy.date_greater_than() {
        Some(start) if start >= policy.date_less_than() => Err(CloudFrontError::InvalidPolicy(
            "DateGreaterThan is not before DateLessThan: the policy would grant nothing",
        )),
        _ => Ok(()),
    }
}

fn itoa(n: i64) -> String {
    alloc::format!("{n}")
}

/// Checks a URL to sign.
fn check_url(url: &str) -> Result<(), CloudFrontError> {
    let invalid = |reason| Err(CloudFrontError::InvalidUrl(reason));
    let Some((scheme, rest)) = url.split_once("://") else {
        return invalid("give an absolute URL, https://DOMAIN/PATH");
    };
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return invalid("the scheme is http or https");
    }
    if rest.is_empty() || rest.starts_with('/') {
        return invalid("the URL names no host");
    }
    if url.bytes().any(|b| b <= b' ' || b == 0x7f || b >= 0x80) {
        return invalid(
            "the URL holds a space, control or non-ASCII character: percent-encode it (%20) as it will be sent",
        );
    }
    if url.contains('#') {
        return invalid("the URL has a fragment (#…), which is never sent: drop it");
    }
    if let Some((_, query)) = url.split_once('?') {
        for pair in query.split('&') {
            let name = pair.split('=').next().unwrap_or_default();
            if SIGNING_PARAMETERS.contains(&name) {
                return invalid(
                    "the URL already carries a CloudFront signing parameter (Expires, Policy, \
                     Signature, Key-Pair-Id or Hash-Algorithm): sign the URL without them",
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudfront_base64() {
        assert_eq!(encode(&[0xfb, 0xff]), "-~8_");
        assert_eq!(decode("-~8_"), Some(alloc::vec![0xfb, 0xff]));
        assert_eq!(
            decode("+/8="),
            None,
            "the standard alphabet is not CloudFront's"
        );
        assert_eq!(encode(b"a"), "YQ__");
        assert_eq!(decode("YQ__"), Some(b"a".to_vec()));
    }

    #[test]
    fn urls_it_refuses() {
        for url in [
            "d111111abcdef8.cloudfront.net/a.jpg",
            "ftp://d111111abcdef8.cloudfront.net/a.jpg",
            "https:///a.jpg",
            "https://d111111abcdef8.cloudfront.net/a b.jpg",
            "https://d111111abcdef8.cloudfront.net/é.jpg",
            "https://d111111abcdef8.cloudfront.net/a.jpg#top",
            "https://d111111abcdef8.cloudfront.net/a.jpg?Expires=1",
            "https://d111111abcdef8.cloudfront.net/a.jpg?x=1&Signature=2",
            "https://d111111abcdef8.cloudfront.net/a.jpg?Hash-Algorithm",
        ] {
            assert!(
                matches!(check_url(url), Err(CloudFrontError::InvalidUrl(_))),
                "{url}"
            );
        }
        assert!(check_url("https://d111111abcdef8.cloudfront.net/a%20b.jpg?Expiresx=1").is_ok());
    }
}
