//! Checking CloudFront signed URLs and cookies with the public key, as CloudFront does:
//! the signature over the policy, the dates, the resource (wildcards included) and the
//! client's address.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::cloudfront::policy::resource_matches;
use crate::cloudfront::signer::{SIGNING_PARAMETERS, decode};
use crate::cloudfront::{CloudFrontError, CloudFrontVerifyError, HashAlgorithm, Policy, PublicKey};
use crate::sigv4::Timestamp;

/// Verifies CloudFront signed URLs and cookies against the public keys of a key group.
///
/// ```
/// use sigv4_presign::cloudfront::{Policy, PrivateKey, PublicKey, Signer, Verifier};
/// use time::macros::datetime;
///
/// let key = PrivateKey::from_pem(include_str!("../../tests/vectors/cloudfront/ec-sec1.pem"))?;
/// let public = key.public_key();
/// let signer = Signer::new("K2JCJMDEHXQW5F", key)?;
/// let url = signer.sign_url(
///     "https://d111111abcdef8.cloudfront.net/a.jpg",
///     &Policy::new(datetime!(2026-01-01 0:00 UTC))?,
/// )?;
///
/// let verifier = Verifier::new().with_key("K2JCJMDEHXQW5F", public)?;
/// assert!(verifier.verify_url(&url, datetime!(2025-12-31 0:00 UTC), None).is_ok());
/// assert!(verifier.verify_url(&url, datetime!(2026-01-01 0:00 UTC), None).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Verifier {
    keys: Vec<(String, PublicKey)>,
}

/// What a verified URL or cookie set grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAccess {
    /// The key pair that signed.
    pub key_pair_id: String,
    /// The policy, its resource included (for a canned policy, the URL).
    pub policy: Policy,
    /// Whether the policy was custom (sent as `Policy`), else canned (`Expires`).
    pub custom: bool,
    /// The hash the signature was made over.
    pub hash: HashAlgorithm,
}

impl Verifier {
    /// A verifier that knows no key yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `key` for signatures naming `key_pair_id`.
    ///
    /// Errors: [`CloudFrontError::InvalidKeyPairId`].
    pub fn with_key(
        mut self,
        key_pair_id: impl Into<String>,
        key: PublicKey,
    ) -> Result<Self, CloudFrontError> {
        let key_pair_id = key_pair_id.into();
        if key_pair_id.is_empty() || !key_pair_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(CloudFrontError::InvalidKeyPairId(key_pair_id));
        }
        self.keys.push((key_pair_id, key));
        Ok(self)
    }

    /// Verifies a signed URL as received (absolute, as signed), at `now`, from the client
    /// address `client` (needed when the policy names an IP range).
    pub fn verify_url(
        &self,
        url: &str,
        now: impl Timestamp,
        client: Option<IpAddr>,
    ) -> Result<VerifiedAccess, CloudFrontVerifyError> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut found: [Option<&str>; 5] = [None; 5];
        // Every part but the signing parameters, empty ones included, as the signer saw
        // them (`a.jpg?` was signed as `a.jpg?`, and sent as `a.jpg?&Expires=…`).
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|_| !query.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match SIGNING_PARAMETERS.iter().position(|p| *p == name) {
                Some(i) if found[i].is_some() => {
                    return Err(CloudFrontVerifyError::Malformed(
                        "a signing parameter is repeated",
                    ));
                }
                Some(i) => found[i] = Some(value),
                None => kept.push(pair),
            }
        }
        let mut unsigned = String::from(base);
        if !kept.is_empty() {
            unsigned.push('?');
            unsigned.push_str(&kept.join("&"));
        }
        let [expires, policy, signature, key_pair_id, hash] = found;
        self.check(
            &unsigned,
            expires,
            policy,
            signature,
            key_pair_id,
            hash,
            now,
            client,
        )
    }

    /// Verifies signed cookies (`(name, value)` as received; other cookies are ignored)
    /// for a request to `url` (absolute, without CloudFront parameters).
    pub fn verify_cookies(
        &self,
        url: &str,
        cookies: &[(&str, &str)],
        now: impl Timestamp,
        client: Option<IpAddr>,
    ) -> Result<VerifiedAccess, CloudFrontVerifyError> {
        // CloudFront judges a URL that carries signed-URL parameters on the URL alone.
        let query = url.split_once('?').map_or("", |(_, q)| q);
        if query
            .split('&')
            .any(|pair| SIGNING_PARAMETERS.contains(&pair.split('=').next().unwrap_or_default()))
        {
            return Err(CloudFrontVerifyError::Malformed(
                "the URL carries signed-URL parameters, for which CloudFront ignores cookies: \
                 verify it with verify_url",
            ));
        }
        let mut found: [Option<&str>; 5] = [None; 5];
        for (name, value) in cookies {
            let Some(name) = name.strip_prefix("CloudFront-") else {
                continue;
            };
            if let Some(i) = SIGNING_PARAMETERS.iter().position(|p| *p == name)
                && found[i].replace(value).is_some()
            {
                return Err(CloudFrontVerifyError::Malformed(
                    "a CloudFront cookie is repeated",
                ));
            }
        }
        let [expires, policy, signature, key_pair_id, hash] = found;
        self.check(
            url,
            expires,
            policy,
            signature,
            key_pair_id,
            hash,
            now,
            client,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        url: &str,
        expires: Option<&str>,
        policy: Option<&str>,
        signature: Option<&str>,
        key_pair_id: Option<&str>,
        hash: Option<&str>,
        now: impl Timestamp,
        client: Option<IpAddr>,
    ) -> Result<VerifiedAccess, CloudFrontVerifyError> {
        let malformed = CloudFrontVerifyError::Malformed;
        let now = now
            .to_offset_date_time()
            .map_err(|_| malformed("the time is out of range"))?
            .unix_timestamp();
        let hash = match hash {
            None => HashAlgorithm::Sha1,
            Some("SHA1") => HashAlgorithm::Sha1,
            Some("SHA256") => HashAlgorithm::Sha256,
            Some(_) => return Err(malformed("Hash-Algorithm is SHA1 or SHA256")),
        };
        let key_pair_id = key_pair_id.ok_or(malformed("Key-Pair-Id is missing"))?;
        let key = self
            .keys
            .iter()
            .find(|(id, _)| id == key_pair_id)
            .map(|(_, key)| key)
            .ok_or_else(|| {
                CloudFrontVerifyError::UnknownKeyPair(key_pair_id.chars().take(64).collect())
            })?;
        let signature = decode(signature.ok_or(malformed("Signature is missing"))?)
            .ok_or(malformed("Signature is not CloudFront's base64"))?;
        let (policy, json, custom) = match (expires, policy) {
            (Some(expires), None) => {
                if expires.is_empty()
                    || expires.len() > 12
                    || (expires.len() > 1 && expires.starts_with('0'))
                    || !expires.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(malformed("Expires is not Unix seconds"));
                }
                let seconds: i64 = expires
                    .parse()
                    .map_err(|_| malformed("Expires is not Unix seconds"))?;
                let time = time::OffsetDateTime::from_unix_timestamp(seconds)
                    .map_err(|_| malformed("Expires is out of range"))?;
                let policy = Policy::new(time)
                    .map_err(|_| malformed("Expires is out of range"))?
                    .with_resource(url);
                let json = policy.to_json(url);
                (policy, json, false)
            }
            (None, Some(encoded)) => {
                let json = decode(encoded)
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .ok_or(malformed("Policy is not CloudFront's base64 of UTF-8 text"))?;
                let (policy, _) = Policy::from_json(&json).map_err(malformed)?;
                (policy, json, true)
            }
            (Some(_), Some(_)) => return Err(malformed("both Expires and Policy are present")),
            (None, None) => return Err(malformed("neither Expires nor Policy is present")),
        };
        if !key.verify(json.as_bytes(), &signature, hash) {
            return Err(CloudFrontVerifyError::SignatureMismatch);
        }
        if now >= policy.date_less_than() {
            return Err(CloudFrontVerifyError::Expired(policy.date_less_than()));
        }
        if let Some(start) = policy.date_greater_than()
            && now < start
        {
            return Err(CloudFrontVerifyError::NotYetValid(start));
        }
        if custom && !resource_matches(policy.resource().unwrap_or_default(), url) {
            return Err(CloudFrontVerifyError::ResourceMismatch);
        }
        // A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d.
        if let Some(range) = policy.ip_range()
            && !client.is_some_and(|ip| range.contains(ip.to_canonical()))
        {
            return Err(CloudFrontVerifyError::IpNotAllowed);
        }
        Ok(VerifiedAccess {
            key_pair_id: key_pair_id.into(),
            policy,
            custom,
            hash,
        })
    }
}
