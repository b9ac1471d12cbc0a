//! What a successful verification established, held in one string.

use alloc::string::String;
use core::fmt;

use time::OffsetDateTime;

use crate::sigv4::credential_scope;

/// What a successful verification established: who signed, for what scope and time, and
/// what the signature covers — the host, the method and the path. A server acts on these
/// (stores under [`Verified::path`] or [`Verified::s3_object`], checks
/// [`Verified::host`] is its own), never on the raw request target: several encodings of
/// a path verify, and all of them decode to the one path that was signed.
#[derive(Clone, PartialEq, Eq)]
pub struct Verified {
    /// The host, method, path, access key id, scope date, region, service and signed
    /// headers, one after another (one allocation for all of them).
    pub(super) text: String,
    /// Where each of them ends in `text`.
    pub(super) ends: [usize; PARTS],
    pub(super) signed_at: OffsetDateTime,
    pub(super) expires_at: OffsetDateTime,
    /// Whether it was signed with SigV4a (the region is then the region set).
    pub(super) sigv4a: bool,
}

/// The texts a [`Verified`] holds, in the order they are written.
pub(super) const PARTS: usize = 8;
pub(super) const HOST: usize = 0;
pub(super) const METHOD: usize = 1;
pub(super) const PATH: usize = 2;
pub(super) const ACCESS_KEY_ID: usize = 3;
pub(super) const DATE: usize = 4;
pub(super) const REGION: usize = 5;
pub(super) const SERVICE: usize = 6;
pub(super) const SIGNED_HEADERS: usize = 7;

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("host", &self.host())
            .field("method", &self.method())
            .field("path", &self.path())
            .field("access_key_id", &self.access_key_id())
            .field("credential_scope", &self.credential_scope())
            .field("signed_headers", &self.signed_headers())
            .field("signed_at", &self.signed_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// An S3 object (or bucket) a verified request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct S3Object<'a> {
    /// The bucket.
    pub bucket: &'a str,
    /// The key, decoded; empty for a request to the bucket itself.
    pub key: &'a str,
}

impl Verified {
    /// One of its texts.
    fn part(&self, part: usize) -> &str {
        let start = part.checked_sub(1).map_or(0, |before| self.ends[before]);
        self.text.get(start..self.ends[part]).unwrap_or_default()
    }

    /// The host the request was signed for (lower case, without the default port): a
    /// server must check it is its own, or a link signed for another host with the same
    /// keys would be accepted.
    pub fn host(&self) -> &str {
        self.part(HOST)
    }

    /// The method the request was signed for (and arrived with).
    pub fn method(&self) -> &str {
        self.part(METHOD)
    }

    /// The path, percent-decoded (`/uploads/hello world.txt`): what to act on.
    pub fn path(&self) -> &str {
        self.part(PATH)
    }

    /// The S3 bucket and key the request names, for a store whose own host is
    /// `endpoint_host` (`s3.example.com`, `localhost:9000`): path-style when the request's
    /// host is that host (`/BUCKET/KEY`), virtual-hosted when it is `BUCKET.` in front of
    /// it; `None` for any other host, or a path-style request without a bucket.
    ///
    /// ```
    /// # use sigv4_presign::verify::*;
    /// # use sigv4_presign::{Credentials, PresignRequest, Presigner};
    /// # use time::macros::datetime;
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let presigner = Presigner::new(creds.clone(), "us-east-1", "s3")?;
    /// # let verifier = Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", "s3")?;
    /// # let now = datetime!(2024-05-01 12:00 UTC);
    /// let signed = presigner.presign(&PresignRequest::put("https://photos.s3.example.com/a%20b.jpg"), now)?;
    /// # let target = &signed.url()["https://photos.s3.example.com".len()..];
    /// # let headers = [("host", "photos.s3.example.com")];
    /// let ok = verifier.verify(&ReceivedRequest::new("PUT", target, &headers), now)?;
    /// assert_eq!(ok.s3_object("s3.example.com"), Some(S3Object { bucket: "photos", key: "a b.jpg" }));
    /// assert_eq!(ok.s3_object("other.example.com"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn s3_object(&self, endpoint_host: &str) -> Option<S3Object<'_>> {
        let endpoint_host = endpoint_host.trim_end_matches('.');
        let (host, path) = (self.host(), self.path());
        let key = path.strip_prefix('/').unwrap_or(path);
        if host.eq_ignore_ascii_case(endpoint_host) {
            let (bucket, key) = key.split_once('/').unwrap_or((key, ""));
            return (!bucket.is_empty()).then_some(S3Object { bucket, key });
        }
        let bucket = host
            .len()
            .checked_sub(endpoint_host.len() + 1)
            .filter(|&at| {
                host.as_bytes().get(at) == Some(&b'.')
                    && host[at + 1..].eq_ignore_ascii_case(endpoint_host)
            })
            .map(|at| &host[..at])?;
        (!bucket.is_empty()).then_some(S3Object { bucket, key })
    }

    /// The access key id that signed.
    pub fn access_key_id(&self) -> &str {
        self.part(ACCESS_KEY_ID)
    }

    /// The credential scope, `YYYYMMDD/REGION/SERVICE/aws4_request` (SigV4a:
    /// `YYYYMMDD/SERVICE/aws4_request`).
    pub fn credential_scope(&self) -> String {
        if self.sigv4a {
            let mut scope = credential_scope(self.part(DATE), "", self.service());
            // `DATE//SERVICE/…` without its empty region.
            scope.remove(self.part(DATE).len());
            return scope;
        }
        credential_scope(self.part(DATE), self.region(), self.service())
    }

    /// The signing algorithm: `AWS4-HMAC-SHA256`, or `AWS4-ECDSA-P256-SHA256` (SigV4a).
    pub fn algorithm(&self) -> &'static str {
        if self.sigv4a {
            crate::sigv4::params::ALGORITHM_SIGV4A
        } else {
            crate::sigv4::params::ALGORITHM
        }
    }

    /// The region of the scope; for SigV4a, the signed region set (`*`, or
    /// `us-east-1,us-west-2`).
    pub fn region(&self) -> &str {
        self.part(REGION)
    }

    /// The service of the scope.
    pub fn service(&self) -> &str {
        self.part(SERVICE)
    }

    /// The signed headers as `X-Amz-SignedHeaders` lists them: lower-case names, sorted,
    /// joined by `;` (`content-type;host`).
    pub fn signed_headers(&self) -> &str {
        self.part(SIGNED_HEADERS)
    }

    /// The signed header names, one by one (`host` among them).
    pub fn signed_header_names(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.signed_headers().split(';')
    }

    /// When the request was signed.
    pub fn signed_at(&self) -> OffsetDateTime {
        self.signed_at
    }

    /// When the URL expires.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }
}
