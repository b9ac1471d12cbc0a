//! Checking a presigned URL on the server side: the same canonicalisation as the signer,
//! applied to the request as it arrived.
//!
//! ```
//! use sigv4_presign::verify::{ReceivedRequest, Verifier, VerifyError};
//! use sigv4_presign::{Credentials, PresignRequest, Presigner};
//! use time::macros::datetime;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
//!
//! // The signer hands out a link…
//! let presigner = Presigner::new(creds.clone(), "us-east-1", "s3")?;
//! let signed = presigner.presign(&PresignRequest::put("https://uploads.example.com/a.txt"), datetime!(2024-05-01 12:00 UTC))?;
//!
//! // …and the server that receives `PUT /a.txt?X-Amz-…` checks it.
//! let verifier = Verifier::new(
//!     move |key_id: &str| (key_id == "AKIDEXAMPLE").then(|| creds.clone()),
//!     "us-east-1",
//!     "s3",
//! )?;
//! let target = &signed.url()["https://uploads.example.com".len()..];
//! let headers = [("Host", "uploads.example.com")];
//! let request = ReceivedRequest::new("PUT", target, &headers);
//!
//! let ok = verifier.verify(&request, datetime!(2024-05-01 12:05 UTC))?;
//! assert_eq!(ok.access_key_id(), "AKIDEXAMPLE");
//!
//! let late = verifier.verify(&request, datetime!(2024-05-01 14:00 UTC));
//! assert!(matches!(late, Err(VerifyError::Expired { .. })));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What to act on
//!
//! Act on what [`Verified`] says was signed, never on the raw request target: its
//! [`host`](Verified::host) (which must be yours: the same keys may sign links for
//! other hosts), [`method`](Verified::method), and [`path`](Verified::path) decoded (or
//! [`s3_object`](Verified::s3_object)). Several encodings of one path verify; all of them
//! decode to the path that was signed.
//!
//! # Unsigned headers
//!
//! A request that carries an `x-amz-*` header its URL does not sign is refused
//! ([`VerifyError::UnsignedHeader`]), as S3 refuses it: `x-amz-copy-source` would turn a
//! presigned PUT into a server-side copy, `x-amz-acl` would publish the object. The one
//! exception is `x-amz-content-sha256`, which S3 takes unsigned. Other headers
//! (`Content-Type`, say) bind only when signed.
//!
//! # S3 paths signed as written
//!
//! For S3, a signature over the path exactly as received is accepted as well as one over
//! its canonical form: botocore, the JavaScript SDK and aws-sigv4 sign a URL given to them
//! already encoded (`/a+b`, `/x*y`, `/%7Euser`, `/a%2fb`) over its path as written. Both
//! name the same key.
//!
//! # Verifying POST uploads
//!
//! [`Verifier::verify_post`] checks a browser form upload ([`ReceivedForm`]: the URL's
//! bucket, the form's fields, the file's name and length) as S3 does: the policy's
//! signature, its expiration and every condition, the key with `${filename}` substituted,
//! and that every field but `x-amz-signature`, `policy`, `file` and `x-ignore-*` is
//! named by a condition. The bucket is the URL's: a form's `bucket` field cannot stand in
//! for it (CVE-2023-43040).

mod check;
mod error;
mod key_cache;
mod parse;
mod post;
mod received;
mod verified;

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use time::OffsetDateTime;

use crate::error::Error;
use crate::sigv4::Timestamp;
use crate::sigv4::{
    Credentials, Decoded, PathEncoding, Settings, SigningKey, StringToSign, check_scope_part,
    constant_time_eq, encode_32, is_plain_path,
};
use check::{
    Checked, canonical_pieces, check_no_unsigned_amz_headers, check_scope, check_token, lookup,
    unknown_key,
};
pub use error::VerifyError;
pub use key_cache::DEFAULT_KEY_CACHE_SIZE;
use key_cache::{CacheKey, KeyCache};
pub use parse::MAX_QUERY_PARAMS;
use parse::PresignedParams;
use post::{Fields, Policy, PostScope};
pub use post::{MAX_FORM_FIELDS, MAX_FORM_VALUE_LEN, ReceivedForm, VerifiedPost};
pub use received::{MAX_HEADER_VALUE_LEN, MAX_HEADERS, MAX_TARGET_LEN, ReceivedRequest};
use verified::{ACCESS_KEY_ID, DATE, HOST, METHOD, PARTS, PATH, REGION, SERVICE, SIGNED_HEADERS};
pub use verified::{S3Object, Verified};

/// The clock skew allowed by default for a signing time in the future.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// Where the verifier finds the credentials of an access key id: any
/// `Fn(&str) -> Option<Credentials>`, or a type of yours. Credentials with a session token
/// require requests to carry exactly that token.
pub trait CredentialStore {
    /// The credentials of `access_key_id`, if it is known.
    fn credentials(&self, access_key_id: &str) -> Option<Credentials>;

    /// Lends the credentials of `access_key_id` to `f`, if it is known: a store that holds
    /// them (a `HashMap`) lends them without a copy. By default, [`credentials`] and a
    /// borrow of the result.
    ///
    /// [`credentials`]: CredentialStore::credentials
    fn with_credentials<R>(
        &self,
        access_key_id: &str,
        f: impl FnOnce(&Credentials) -> R,
    ) -> Option<R>
    where
        Self: Sized,
    {
        self.credentials(access_key_id).map(|c| f(&c))
    }
}

impl<F: Fn(&str) -> Option<Credentials>> CredentialStore for F {
    fn credentials(&self, access_key_id: &str) -> Option<Credentials> {
        self(access_key_id)
    }
}

/// A map from access key id to credentials, lent without a copy.
///
/// ```
/// use std::collections::HashMap;
/// use sigv4_presign::verify::Verifier;
/// use sigv4_presign::Credentials;
///
/// let keys: HashMap<String, Credentials> =
///     [("AKID".to_string(), Credentials::new("AKID", "secret")?)].into();
/// let verifier = Verifier::new(keys, "us-east-1", "s3")?;
/// # let _ = verifier;
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[cfg(feature = "std")]
impl<H: core::hash::BuildHasher> CredentialStore
    for std::collections::HashMap<String, Credentials, H>
{
    fn credentials(&self, access_key_id: &str) -> Option<Credentials> {
        self.get(access_key_id).cloned()
    }

    fn with_credentials<R>(
        &self,
        access_key_id: &str,
        f: impl FnOnce(&Credentials) -> R,
    ) -> Option<R> {
        self.get(access_key_id).map(f)
    }
}

/// Checks presigned requests for one service in one or more regions.
pub struct Verifier<S> {
    store: S,
    regions: Vec<String>,
    service: String,
    settings: Settings,
    max_skew: Duration,
    keys: KeyCache,
    /// SigV4a public keys, by the secret's `"AWS4A"` key and the access key id's SHA-256.
    #[cfg(feature = "sigv4a")]
    public_keys: KeyCache<(crate::sigv4::HmacKey, [u8; 32]), crate::sigv4a::PublicKey>,
    /// Whether SigV4a URLs are accepted (see [`Verifier::with_sigv4a`]).
    #[cfg(feature = "sigv4a")]
    accept_sigv4a: bool,
}

impl<S> fmt::Debug for Verifier<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("regions", &self.regions)
            .field("service", &self.service)
            .field("settings", &self.settings)
            .field("max_skew", &self.max_skew)
            .field("key_cache", &self.keys.capacity())
            .finish_non_exhaustive()
    }
}

impl<S: CredentialStore> Verifier<S> {
    /// A verifier for `service` in `region`, with the settings [`Settings::for_service`]
    /// picks (they must be the signer's), and a clock skew of 15 minutes.
    pub fn new(store: S, region: &str, service: &str) -> Result<Self, Error> {
        check_scope_part("region", region)?;
        check_scope_part("service", service)?;
        Ok(Self {
            store,
            regions: alloc::vec![region.to_string()],
            service: service.to_string(),
            settings: Settings::for_service(service),
            max_skew: DEFAULT_MAX_SKEW,
            keys: KeyCache::new(DEFAULT_KEY_CACHE_SIZE),
            #[cfg(feature = "sigv4a")]
            public_keys: KeyCache::new(DEFAULT_KEY_CACHE_SIZE),
            #[cfg(feature = "sigv4a")]
            accept_sigv4a: true,
        })
    }

    /// Accepts one more region (R2 and GCS clients sign with `auto`, say).
    pub fn with_region(mut self, region: &str) -> Result<Self, Error> {
        check_scope_part("region", region)?;
        self.regions.push(region.to_string());
        Ok(self)
    }

    /// Replaces the settings; they must be those the signer used.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Keeps up to `capacity` derived signing keys (one per secret, day and region;
    /// [`DEFAULT_KEY_CACHE_SIZE`] by default), so that a request from a key seen before
    /// costs no key derivation; 0 turns the cache off. A multi-tenant server sizes it to
    /// its number of active keys. (Without `std`, nothing is cached.) With the `sigv4a`
    /// feature, as many SigV4a public keys (one per access key) are kept besides.
    pub fn with_key_cache(mut self, capacity: usize) -> Self {
        self.keys = KeyCache::new(capacity);
        #[cfg(feature = "sigv4a")]
        {
            self.public_keys = KeyCache::new(capacity);
        }
        self
    }

    /// Whether SigV4a URLs are accepted besides SigV4 ones (yes by default, with the
    /// `sigv4a` feature). A server that hands out SigV4 links only turns them off: a
    /// dependency may enable the feature, and a SigV4a check costs an ECDSA verification
    /// (about 280 µs) where SigV4's costs about 1 µs.
    #[cfg(feature = "sigv4a")]
    pub fn with_sigv4a(mut self, accept: bool) -> Self {
        self.accept_sigv4a = accept;
        self
    }

    /// How far in the future a signing time may lie (15 minutes by default).
    pub fn with_max_skew(mut self, skew: Duration) -> Self {
        self.max_skew = skew;
        self
    }

    /// Verifies `request` as of `now`.
    ///
    /// The payload hash is the verifier's [`Settings::payload_hash`]: a URL presigned with a
    /// per-request hash ([`PresignRequest::payload_hash`](crate::PresignRequest::payload_hash))
    /// verifies with a verifier whose settings carry that hash.
    pub fn verify(
        &self,
        request: &ReceivedRequest<'_>,
        now: impl Timestamp,
    ) -> Result<Verified, VerifyError> {
        let now = now
            .to_offset_date_time()
            .map_err(VerifyError::InvalidRequest)?;
        let checked = self.check(request)?;
        let params = &checked.params;
        let room = request.method.len()
            + checked.path.len()
            + params.access_key_id.len()
            + params.scope_date.len()
            + params.region.len()
            + self.service.len()
            + params.signed_headers.len();
        // The host, with room for the rest of what `Verified` holds.
        let host = self.lend(params, |credentials| {
            check_no_unsigned_amz_headers(request.headers, params.signed_header_names())?;
            // The clock first: it needs nothing secret, and a request outside its validity
            // never costs a key derivation (nor pushes a key out of the cache).
            self.check_clock(params, now)?;
            self.check_signature(&checked, credentials, room)
        })?;
        let mut ends = [0; PARTS];
        ends[HOST] = host.len();
        let mut bytes = host.into_bytes();
        bytes.extend_from_slice(request.method.as_bytes());
        ends[METHOD] = bytes.len();
        bytes.extend(Decoded::new(checked.path, false));
        ends[PATH] = bytes.len();
        for (part, text) in [
            (ACCESS_KEY_ID, &*params.access_key_id),
            (DATE, &params.scope_date),
            (REGION, &params.region),
            (SERVICE, &self.service),
            (SIGNED_HEADERS, &params.signed_headers),
        ] {
            bytes.extend_from_slice(text.as_bytes());
            ends[part] = bytes.len();
        }
        // All but the decoded path are text already.
        let text = String::from_utf8(bytes).map_err(|_| VerifyError::Malformed {
            reason: "the path does not decode to UTF-8 text",
        })?;
        Ok(Verified {
            text,
            ends,
            signed_at: params.signed_at,
            expires_at: params.expires_at,
            sigv4a: params.sigv4a,
        })
    }

    /// Verifies an S3 POST upload (a browser form) as of `now`, as S3 does: the policy's
    /// signature and expiration, every condition (the bucket being the URL's), and that
    /// every field but `x-amz-signature`, `policy`, `file` and `x-ignore-*` is named by a
    /// condition. Returns the key to store under (`${filename}` substituted) and the
    /// fields. See [Verifying POST uploads](self#verifying-post-uploads).
    ///
    /// ```
    /// use sigv4_presign::s3::Bucket;
    /// use sigv4_presign::verify::{ReceivedForm, Verifier, VerifyError};
    /// use sigv4_presign::{Credentials, Presigner};
    /// use time::macros::datetime;
    ///
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
    /// let presigner = Presigner::new(creds.clone(), "us-east-1", "s3")?;
    /// let now = datetime!(2024-05-01 12:00 UTC);
    /// let post = Bucket::new("uploads", "us-east-1")?
    ///     .post_policy_with_prefix("avatars/")
    ///     .content_length_range(1, 1_000_000)
    ///     .presign(&presigner, now)?;
    ///
    /// // The browser sends the fields, then the file `me.png`, 2,000 bytes.
    /// let fields: Vec<(&str, &str)> = post.fields().collect();
    /// let verifier = Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", "s3")?;
    /// let form = ReceivedForm::new("uploads", &fields, 2_000).with_file_name("me.png");
    /// let ok = verifier.verify_post(&form, now)?;
    /// assert_eq!(ok.key(), "avatars/me.png");
    ///
    /// let huge = ReceivedForm::new("uploads", &fields, 2_000_000).with_file_name("me.png");
    /// assert!(matches!(verifier.verify_post(&huge, now), Err(VerifyError::ContentLengthOutOfRange { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_post(
        &self,
        form: &ReceivedForm<'_>,
        now: impl Timestamp,
    ) -> Result<VerifiedPost, VerifyError> {
        let now = now
            .to_offset_date_time()
            .map_err(VerifyError::InvalidRequest)?;
        let fields = Fields::read(form)?;
        if let Some(named) = fields.by_name.get("bucket")
            && *named != form.bucket
        {
            return Err(VerifyError::BucketMismatch {
                form: named.chars().take(64).collect(),
                url: form.bucket.chars().take(64).collect(),
            });
        }
        let scope = PostScope::read(&fields)?;
        scope.check(&self.regions, &self.service)?;
        let credentials = lookup(&self.store, scope.access_key_id)?;
        post::check_token(&credentials, &fields)?;
        let region_index = self
            .regions
            .iter()
            .position(|r| r == scope.region)
            .unwrap_or(0);
        let key = self.keys.get_or_derive(
            CacheKey::new(*credentials.date_key(), &scope.amz_date, region_index),
            || {
                SigningKey::derive_for(&credentials, &scope.amz_date, scope.region, &self.service)
                    .prepare()
            },
        );
        post::check_signature(|policy| key.mac(policy), &fields)?;
        let policy = Policy::read(fields.required("policy")?)?;
        if now >= policy.expires_at {
            return Err(VerifyError::PolicyExpired {
                expired_at: policy.expires_at,
            });
        }
        let object_key = post::key_of(&fields, form.file_name)?;
        if object_key.is_empty() || object_key.len() > 1024 {
            return Err(VerifyError::Malformed {
                reason: "the key is empty or longer than 1024 bytes",
            });
        }
        policy.check(&fields, form.bucket, &object_key, form.file_length)?;
        Ok(VerifiedPost {
            access_key_id: scope.access_key_id.to_string(),
            bucket: form.bucket.to_string(),
            key: object_key,
            fields: fields.in_order,
            expires_at: policy.expires_at,
        })
    }

    /// The canonical request the verifier computes for `request`, to compare with the
    /// signer's when a signature does not match. It contains the session token, if any.
    pub fn canonical_request(&self, request: &ReceivedRequest<'_>) -> Result<String, VerifyError> {
        let checked = self.check(request)?;
        self.lend(&checked.params, |_| {
            check_no_unsigned_amz_headers(request.headers, checked.params.signed_header_names())
        })?;
        let parts = checked.canonical_parts(0)?;
        Ok(checked
            .canonical_request(&self.settings, &parts, false)
            .to_text())
    }

    /// Parses the request and checks its scope.
    fn check<'r>(&self, request: &ReceivedRequest<'r>) -> Result<Checked<'r>, VerifyError> {
        let (path, query) = request.check_and_split()?;
        let (params, pieces) = PresignedParams::parse(query)?;
        #[cfg(feature = "sigv4a")]
        if params.sigv4a && !self.accept_sigv4a {
            return Err(VerifyError::UnsupportedAlgorithm {
                algorithm: crate::sigv4::params::ALGORITHM_SIGV4A.into(),
            });
        }
        if params.token.is_some()
            && params.token_name != self.settings.session_token_parameter.name()
        {
            return Err(VerifyError::Malformed {
                reason: "the session token is not under the parameter the settings name: \
                         X-Amz-S3session-Token belongs to S3 Express One Zone's CreateSession \
                         credentials (Settings::s3_express_session), X-Amz-Security-Token to \
                         all others",
            });
        }
        check_scope(&params, &self.regions, &self.service)?;
        Ok(Checked {
            method: request.method,
            path,
            query: canonical_pieces(pieces, &self.settings),
            headers: request.headers,
            default_port: request.default_port,
            params,
        })
    }

    /// Runs `f` with the credentials of the key that signed, which the store must know and
    /// whose session token the request must carry.
    fn lend<R>(
        &self,
        params: &PresignedParams<'_>,
        f: impl FnOnce(&Credentials) -> Result<R, VerifyError>,
    ) -> Result<R, VerifyError> {
        let key_id = &*params.access_key_id;
        self.store
            .with_credentials(key_id, |credentials| {
                if credentials.access_key_id() != key_id {
                    return None;
                }
                Some(check_token(credentials, params).and_then(|()| f(credentials)))
            })
            .flatten()
            .unwrap_or_else(|| Err(unknown_key(key_id)))
    }

    /// Recomputes the signature and compares it, in constant time, with the request's;
    /// returns the host it was signed for (in a string with `room` bytes to spare).
    ///
    /// For S3, a signature over the path exactly as received is accepted too: botocore,
    /// the JavaScript SDK and aws-sigv4 sign a URL they are given already encoded
    /// (`/a+b`, `/%7Euser`) over its path as written, where this crate's signer writes
    /// the canonical form (`/a%2Bb`, `/~user`). Both name the same key.
    fn check_signature(
        &self,
        checked: &Checked<'_>,
        credentials: &Credentials,
        room: usize,
    ) -> Result<String, VerifyError> {
        #[cfg(feature = "sigv4a")]
        if checked.params.sigv4a {
            return self.check_sigv4a_signature(checked, credentials, room);
        }
        let region = &*checked.params.region;
        let region_index = self.regions.iter().position(|r| r == region).unwrap_or(0);
        let cache_key = CacheKey::new(*credentials.date_key(), checked.amz_date(), region_index);
        let key = self.keys.get_or_derive(cache_key, || {
            SigningKey::derive_for(credentials, checked.amz_date(), region, &self.service).prepare()
        });
        let parts = checked.canonical_parts(room)?;
        let signature_over = |raw_path: bool| {
            let hash = checked.canonical_hash(&self.settings, &parts, raw_path);
            let mut mac = key.start();
            StringToSign {
                amz_date: checked.amz_date(),
                region,
                service: &self.service,
                canonical_request_hash: &hash,
            }
            .write(&mut |piece| mac.update(piece));
            encode_32(&key.finish(&mut mac))
        };
        let expected = checked.params.signature.as_bytes();
        let matches = constant_time_eq(&signature_over(false), expected)
            || (self.settings.path_encoding == PathEncoding::S3
                && !is_plain_path(checked.path.as_bytes())
                && constant_time_eq(&signature_over(true), expected));
        if matches {
            Ok(parts.host)
        } else {
            Err(VerifyError::SignatureMismatch)
        }
    }

    /// [`Verifier::check_signature`] for SigV4a: the ECDSA signature, checked with the
    /// public key the credentials derive (cached), over the same canonical request (or,
    /// for S3, the one over the path as received).
    #[cfg(feature = "sigv4a")]
    fn check_sigv4a_signature(
        &self,
        checked: &Checked<'_>,
        credentials: &Credentials,
        room: usize,
    ) -> Result<String, VerifyError> {
        let mut id_hash = crate::sigv4::Sha256Stream::new();
        id_hash.update(credentials.access_key_id().as_bytes());
        let cache_key = (*credentials.asymmetric_key(), id_hash.finalize());
        let key = self
            .public_keys
            .get_or_try_derive(cache_key, || {
                crate::sigv4a::SigningKey::derive(credentials).map(|key| *key.public_key())
            })
            .map_err(VerifyError::InvalidRequest)?;
        let parts = checked.canonical_parts(room)?;
        let signature = checked.params.signature;
        let verifies = |raw_path: bool| {
            let hash = checked.canonical_hash(&self.settings, &parts, raw_path);
            let sts = crate::sigv4::sigv4a_string_to_sign(checked.amz_date(), &self.service, &hash);
            key.verify(sts.as_bytes(), signature)
        };
        let matches = verifies(false)
            || (self.settings.path_encoding == PathEncoding::S3
                && !is_plain_path(checked.path.as_bytes())
                && verifies(true));
        if matches {
            Ok(parts.host)
        } else {
            Err(VerifyError::SignatureMismatch)
        }
    }

    /// Refuses a request signed too far in the future or expired.
    fn check_clock(
        &self,
        params: &PresignedParams<'_>,
        now: OffsetDateTime,
    ) -> Result<(), VerifyError> {
        let skew = time::Duration::try_from(self.max_skew).unwrap_or(time::Duration::MAX);
        if params.signed_at > now.saturating_add(skew) {
            return Err(VerifyError::NotYetValid {
                signed_at: params.signed_at,
            });
        }
        if now > params.expires_at {
            return Err(VerifyError::Expired {
                expired_at: params.expires_at,
            });
        }
        Ok(())
    }
}
