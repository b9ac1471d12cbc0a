//! What the presigner returns: the URL, and what the client must send with it.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use time::OffsetDateTime;

use crate::sigv4::amz_date::AmzDate;
use crate::sigv4::canonical_headers::{Header, for_each_header};
use crate::sigv4::canonical_query::CanonicalQuery;
use crate::sigv4::canonical_request::CanonicalRequest;
use crate::sigv4::digest::Sha256Stream;
use crate::sigv4::params::{ALGORITHM, ALGORITHM_SIGV4A};
use crate::sigv4::redact::redact_session_tokens;
use crate::sigv4::scope::{credential_scope, sigv4a_scope};
use crate::sigv4::settings::{PathEncoding, PayloadHash, Settings};
use crate::sigv4::string_to_sign::{StringToSign, sigv4a_string_to_sign};

/// A part of the URL's text, in 8 bytes: a presigned URL is a value users move around,
/// and its positions fit in 32 bits (the presigner refuses longer URLs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub(crate) fn new(range: Range<usize>) -> Self {
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            start: at(range.start),
            end: at(range.end),
        }
    }

    pub(crate) fn start(self) -> usize {
        self.start as usize
    }

    pub(crate) fn end(self) -> usize {
        self.end as usize
    }

    fn of(self, text: &str) -> &str {
        text.get(self.start()..self.end()).unwrap_or_default()
    }
}

/// Where the parts of a presigned URL stand in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlLayout {
    /// The canonical `host[:port]`.
    pub(crate) host: Span,
    pub(crate) path: Span,
    /// The canonical query, but for a session token listed last.
    pub(crate) query: Span,
    /// A token signed but listed last: its piece `X-Amz-Security-Token=…`, and where it
    /// sorts (counted from the query's start).
    pub(crate) listed_last_token: Option<(Span, u32)>,
    /// The scope's region and service, inside `X-Amz-Credential`.
    pub(crate) region: Span,
    pub(crate) service: Span,
    /// Where the signature starts (it runs to the end).
    pub(crate) signature: u32,
    /// Whether the path is S3's canonical URI as it stands.
    pub(crate) path_is_canonical: bool,
}

/// A presigned request: the URL to hand out, and what the client must send with it.
///
/// The URL carries the session token when the credentials have one: treat it as a
/// short-lived bearer credential. `Debug` hides the token and header values.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedUrl {
    pub(crate) url: String,
    pub(crate) method: Cow<'static, str>,
    pub(crate) layout: UrlLayout,
    pub(crate) headers: Vec<Header>,
    pub(crate) payload_hash: PayloadHash,
    pub(crate) path_encoding: PathEncoding,
    pub(crate) normalize_path: bool,
    pub(crate) amz_date: AmzDate,
    pub(crate) signed_at: OffsetDateTime,
    /// Seconds from `signed_at` to the expiry.
    pub(crate) expires: u32,
    /// SigV4a: the region set, as signed (the scope then has no region).
    pub(crate) region_set: Option<Box<str>>,
}

impl UrlLayout {
    /// The canonical request of the URL `url`, whose parts stand where this layout says.
    pub(crate) fn canonical_request<'u>(
        &self,
        url: &'u str,
        method: &'u str,
        headers: &'u [Header],
        payload_hash: &'u PayloadHash,
        path_encoding: PathEncoding,
        normalize_path: bool,
    ) -> CanonicalRequest<'u> {
        let query = self.query.of(url);
        let query = match self.listed_last_token {
            Some((piece, at)) => CanonicalQuery::with_piece_at(query, piece.of(url), at as usize),
            None => CanonicalQuery::new(query),
        };
        CanonicalRequest {
            method,
            path: self.path.of(url),
            path_encoding,
            normalize_path,
            path_is_canonical: self.path_is_canonical,
            query,
            host: self.host.of(url),
            headers,
            payload_hash: payload_hash.as_str(),
        }
    }
}

impl UrlLayout {
    /// The SHA-256 of the canonical request of `url` under `settings`, streamed into the
    /// hasher: what both presigners sign.
    #[inline]
    pub(crate) fn canonical_hash(
        &self,
        url: &str,
        method: &str,
        headers: &[Header],
        payload_hash: &PayloadHash,
        settings: &Settings,
    ) -> [u8; 32] {
        let mut hasher = Sha256Stream::new();
        self.canonical_request(
            url,
            method,
            headers,
            payload_hash,
            settings.path_encoding,
            settings.normalize_path,
        )
        .write(&mut |piece| hasher.update(piece));
        hasher.finalize()
    }
}

/// A URL whose positions do not fit in 32 bits.
pub(crate) const URL_TOO_LONG: crate::error::Error = crate::error::Error::MalformedUrl {
    reason: "the presigned URL would be longer than 4 GiB",
};

impl PresignedUrl {
    /// The presigned URL, exactly as signed.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The presigned URL, by value.
    pub fn into_url(self) -> String {
        self.url
    }

    /// The URL without its scheme and `://`: `host[:port]/path?query`, the form of the
    /// database passwords in [`tokens`](crate::tokens).
    pub fn url_without_scheme(&self) -> &str {
        self.url.get(self.layout.host.start()..).unwrap_or_default()
    }

    /// The HTTP method the URL is signed for; the client must use it.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The signing algorithm, `X-Amz-Algorithm`: `AWS4-HMAC-SHA256`, or
    /// `AWS4-ECDSA-P256-SHA256` for SigV4a.
    pub fn algorithm(&self) -> &'static str {
        if self.region_set.is_some() {
            ALGORITHM_SIGV4A
        } else {
            ALGORITHM
        }
    }

    /// The signature (`X-Amz-Signature`): 64 lower-case hex digits, or for SigV4a a
    /// DER-encoded ECDSA signature in lower-case hex (about 140 digits).
    pub fn signature(&self) -> &str {
        self.url
            .get(self.layout.signature as usize..)
            .unwrap_or_default()
    }

    /// The headers the client must send with the URL, with the values that were signed:
    /// every signed header but `host` (which HTTP clients send themselves), names in lower
    /// case, sorted, as `(name, value)`. Empty when only `host` is signed.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone + '_ {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The payload hash that was signed.
    pub fn payload_hash(&self) -> &PayloadHash {
        &self.payload_hash
    }

    /// The region the URL was signed for; for SigV4a, the region set
    /// (`us-east-1,us-west-2`, or `*`).
    pub fn region(&self) -> &str {
        match &self.region_set {
            Some(set) => set,
            None => self.layout.region.of(&self.url),
        }
    }

    /// The service (signing name) the URL was signed for.
    pub fn service(&self) -> &str {
        self.layout.service.of(&self.url)
    }

    /// The credential scope, `YYYYMMDD/REGION/SERVICE/aws4_request` (SigV4a:
    /// `YYYYMMDD/SERVICE/aws4_request`).
    pub fn credential_scope(&self) -> String {
        if self.region_set.is_some() {
            return sigv4a_scope(self.amz_date.date(), self.service());
        }
        credential_scope(self.amz_date.date(), self.region(), self.service())
    }

    /// The names of the signed headers, `host` included, as in `X-Amz-SignedHeaders`
    /// (joined with `;`).
    pub fn signed_headers(&self) -> String {
        let mut out = String::new();
        for_each_header("", &self.headers, |name, _| {
            if !out.is_empty() {
                out.push(';');
            }
            out.push_str(name);
        });
        out
    }

    /// When the signature was made.
    pub fn signed_at(&self) -> OffsetDateTime {
        self.signed_at
    }

    /// The signing time as `X-Amz-Date` gives it.
    pub fn amz_date(&self) -> AmzDate {
        self.amz_date
    }

    /// When the URL stops working: the signing time plus the expiry.
    pub fn expires_at(&self) -> OffsetDateTime {
        let expires = time::Duration::seconds(i64::from(self.expires));
        // `presign` checked that the expiry is at most 9999-12-31T23:59:59Z; in an offset
        // east of UTC that instant may fall in the year 10000, which `time` cannot write
        // in that offset, so it is then given in UTC.
        self.signed_at
            .checked_add(expires)
            .or_else(|| {
                self.signed_at
                    .checked_to_offset(time::UtcOffset::UTC)?
                    .checked_add(expires)
            })
            .unwrap_or(self.signed_at)
    }

    /// When the URL stops working, as a [`SystemTime`](std::time::SystemTime) (the type
    /// `chrono` and `jiff` convert from); `None` where the platform's `SystemTime` cannot
    /// hold it (before 1601 on Windows).
    #[cfg(feature = "std")]
    pub fn expires_at_system_time(&self) -> Option<std::time::SystemTime> {
        crate::sigv4::to_system_time(self.expires_at())
    }

    /// When the URL stops working, in RFC 3339 and UTC (`2024-05-01T13:00:00Z`): for a JSON
    /// response or a log line, without `time`'s formatting feature.
    pub fn expires_at_rfc3339(&self) -> String {
        alloc::string::ToString::to_string(&crate::rfc3339::Rfc3339(self.expires_at()))
    }

    /// The canonical request that was hashed and signed, for comparing with the one in an
    /// S3 `SignatureDoesNotMatch` error (`<CanonicalRequest>`) or a server's log. It
    /// contains the session token, if any.
    pub fn canonical_request(&self) -> String {
        self.canonical().to_text()
    }

    /// The string to sign, for comparing with `<StringToSign>` in a
    /// `SignatureDoesNotMatch` error.
    pub fn string_to_sign(&self) -> String {
        let mut hasher = Sha256Stream::new();
        self.canonical().write(&mut |piece| hasher.update(piece));
        let hash = hasher.finalize();
        if self.region_set.is_some() {
            return sigv4a_string_to_sign(&self.amz_date, self.service(), &hash);
        }
        StringToSign {
            amz_date: &self.amz_date,
            region: self.region(),
            service: self.service(),
            canonical_request_hash: &hash,
        }
        .to_text()
    }

    fn canonical(&self) -> CanonicalRequest<'_> {
        self.layout.canonical_request(
            &self.url,
            &self.method,
            &self.headers,
            &self.payload_hash,
            self.path_encoding,
            self.normalize_path,
        )
    }

    /// The URL with the session token's value replaced, safe to log.
    pub fn redacted_url(&self) -> String {
        redact_session_tokens(&self.url).into_owned()
    }
}

impl fmt::Debug for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedUrl")
            .field("method", &self.method)
            .field("url", &self.redacted_url())
            // Names only: a value may be a secret (an SSE-C key, say).
            .field("signed_headers", &self.signed_headers())
            .field("signed_at", &self.signed_at)
            .field("expires_at", &self.expires_at())
            .finish()
    }
}
