//! Step 4: the presigner, which ties the steps together, and the presigned request it returns.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;
use core::ops::Range;
use core::time::Duration;

use hmac::Mac;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::amz_date::AmzDate;
use crate::canonical_request::{self, CanonicalRequest, for_each_header};
use crate::credentials::Credentials;
use crate::encoding::{self, Decoded, UNRESERVED};
use crate::error::{Error, Result};
use crate::request::{MAX_EXPIRES_IN, PresignRequest};
use crate::settings::{PathEncoding, PayloadHash, SessionTokenMode, Settings};
use crate::signing_key::{KeyCache, SigningKey};
use crate::string_to_sign::{ALGORITHM, StringToSign};
use crate::url::{Url, push_u64};

/// Signs requests for one set of credentials, one region and one service.
///
/// Build it once and share it: it is `Send + Sync`, and [`Presigner::presign`] takes
/// `&self`. It derives the signing key once per day and keeps it in a cache that threads
/// read without taking a lock.
///
/// ```
/// use sigv4_presign::{Credentials, PresignRequest, Presigner};
/// use time::macros::datetime;
///
/// let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
/// let presigner = Presigner::new(creds, "us-east-1", "s3")?;
///
/// let request = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
///     .expires_in(std::time::Duration::from_secs(86400));
/// let signed = presigner.presign(&request, datetime!(2013-05-24 0:00 UTC))?;
///
/// assert_eq!(
///     signed.url(),
///     "https://examplebucket.s3.amazonaws.com/test.txt\
///      ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
///      &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
///      &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
///      &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
/// );
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
pub struct Presigner {
    credentials: Credentials,
    region: Box<str>,
    service: Box<str>,
    settings: Settings,
    /// The encoded session token, when there is one.
    encoded_token: Option<Box<str>>,
    /// Bytes every URL needs beyond the request's own: auth parameters and signature.
    fixed_len: usize,
    cache: KeyCache,
}

impl Presigner {
    /// A presigner for `service` (the signing name, such as `s3`, `sts`, `rds-db`,
    /// `execute-api`) in `region`, with the settings [`Settings::for_service`] picks: the S3
    /// preset for `s3`, `s3-outposts` and `s3express`, the generic AWS-service preset for
    /// any other.
    ///
    /// Errors: [`Error::InvalidScope`] when the region or service is empty or holds a
    /// character other than letters, digits, `-`, `.`, `_` and `~` (a `/` above all).
    pub fn new(credentials: Credentials, region: &str, service: &str) -> Result<Self> {
        check_scope_part("region", region)?;
        check_scope_part("service", service)?;
        let encoded_token = credentials.session_token().map(|token| {
            let mut encoded = String::with_capacity(token.len() + token.len() / 2);
            encoding::push_encoded(&mut encoded, token.as_bytes(), UNRESERVED);
            encoded.into_boxed_str()
        });
        let fixed_len = 230
            + 3 * credentials.access_key_id().len()
            + region.len()
            + service.len()
            + encoded_token.as_ref().map_or(0, |t| t.len() + 24);
        Ok(Self {
            credentials,
            region: region.into(),
            service: service.into(),
            settings: Settings::for_service(service),
            encoded_token,
            fixed_len,
            cache: KeyCache::default(),
        })
    }

    /// Replaces the settings (see [`Settings`]).
    ///
    /// ```
    /// # use sigv4_presign::*;
    /// let creds = Credentials::new("AKID", "secret")?.with_session_token("token")?;
    /// let iot = Presigner::new(creds, "eu-west-1", "iotdevicegateway")?
    ///     .with_settings(Settings::aws_service().with_session_token(SessionTokenMode::AppendAfterSigning));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The credentials that sign.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The region of the credential scope.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service (signing name) of the credential scope.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The signing key for the day of `time` (UTC), from the cache when it holds that day.
    pub fn signing_key(&self, time: OffsetDateTime) -> Result<SigningKey> {
        Ok(self.signing_key_for(&AmzDate::new(time)?))
    }

    fn signing_key_for(&self, date: &AmzDate) -> SigningKey {
        let day = date.date_number();
        if let Some(key) = self.cache.get(day) {
            return key;
        }
        let key = SigningKey::derive_for(&self.credentials, date, &self.region, &self.service);
        self.cache.put(day, &key);
        key
    }

    /// Presigns `request` as of the UTC instant `time`.
    ///
    /// Errors: any [`Error`] about the method, URL, headers, query parameters, payload hash
    /// or expiry of the request; [`Error::TimeOutOfRange`] when `time` or its expiry falls
    /// outside the years 0000 to 9999.
    pub fn presign(
        &self,
        request: &PresignRequest<'_>,
        time: OffsetDateTime,
    ) -> Result<PresignedUrl> {
        let method = check_method(&request.method)?;
        let expires = check_expires(request.expires_in)?;
        let amz_date = AmzDate::new(time)?;
        let expires_at = time
            .checked_add(time::Duration::seconds(i64::from(expires)))
            .ok_or(Error::TimeOutOfRange)?;
        let url = Url::parse(&request.url)?;
        canonical_request::check_path(url.path)?;
        let payload_hash = request.payload_hash.unwrap_or(self.settings.payload_hash);

        // A capacity hint: enough for the usual URL, never a reason to fail.
        let raw_len = request
            .query
            .iter()
            .fold(0usize, |n, (k, v)| n.saturating_add(k.len() + v.len() + 2));
        let names_len = request
            .headers
            .iter()
            .fold(0usize, |n, (k, _)| n.saturating_add(k.len() + 3));
        let mut out = String::with_capacity(
            raw_len
                .saturating_add(names_len)
                .saturating_mul(3)
                .saturating_add(request.url.len())
                .saturating_add(self.fixed_len)
                .min(1 << 20),
        );

        // scheme://host[:port]
        out.push_str(url.scheme.as_str());
        out.push_str("://");
        let host_start = out.len();
        url.push_authority(&mut out);
        let host = host_start..out.len();

        // The path as it will travel: S3 writes its canonical form (dot segments escaped);
        // other services keep the path, percent-encoding only what a URL cannot carry.
        let path_start = out.len();
        match (self.settings.path_encoding, request.verbatim_path) {
            (_, true) => out.push_str(url.path),
            (PathEncoding::S3, false) => canonical_request::push_s3_path(&mut out, url.path),
            (PathEncoding::Double, false) => canonical_request::push_wire_path(&mut out, url.path),
        }
        let path = path_start..out.len();

        let headers = if request.headers.is_empty() {
            Vec::new()
        } else {
            canonical_request::canonical_headers(
                request
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_ref(), v.as_ref())),
                &out[host.clone()],
                url.scheme.default_port(),
            )?
        };

        // Canonical query, which is also the query of the URL.
        out.push('?');
        let query_start = out.len();
        let auth = AuthValues {
            presigner: self,
            amz_date: &amz_date,
            expires,
            headers: &headers,
        };
        let mut pieces = collect_pieces(url.query, &request.query, self.signs_token())?;
        let has_user_params = pieces.user_count > 0;
        let pieces = pieces.as_mut_slice();
        // The auth parameters alone are already in canonical order.
        if has_user_params {
            pieces.sort_unstable_by(compare_pieces);
        }
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            piece.write(&mut out, &auth);
        }
        let query = query_start..out.len();

        // Hash the canonical request, then sign the string to sign.
        let mut hasher = Sha256::new();
        CanonicalRequest {
            method: &method,
            path: &out[path.clone()],
            path_encoding: self.settings.path_encoding,
            normalize_path: self.settings.normalize_path,
            query: &out[query.clone()],
            host: &out[host.clone()],
            headers: &headers,
            payload_hash: payload_hash.as_str(),
        }
        .write(&mut |piece| hasher.update(piece));
        let canonical_request_hash: [u8; 32] = hasher.finalize().into();

        let mut mac = self.signing_key_for(&amz_date).mac();
        StringToSign {
            amz_date: &amz_date,
            region: &self.region,
            service: &self.service,
            canonical_request_hash: &canonical_request_hash,
        }
        .write(&mut |piece| mac.update(piece));
        let mut signature = [0u8; 64];
        // 32 bytes always fit 64 hex digits.
        let _ = hex::encode_to_slice(mac.finalize().into_bytes(), &mut signature);

        if let (Some(token), SessionTokenMode::AppendAfterSigning) =
            (&self.encoded_token, self.settings.session_token)
        {
            out.push_str("&X-Amz-Security-Token=");
            out.push_str(token);
        }
        out.push_str("&X-Amz-Signature=");
        let signature_start = out.len();
        for &b in &signature {
            out.push(b as char);
        }

        Ok(PresignedUrl {
            url: out,
            method,
            host,
            path,
            query,
            signature: signature_start,
            headers,
            payload_hash,
            path_encoding: self.settings.path_encoding,
            normalize_path: self.settings.normalize_path,
            amz_date,
            signed_at: time,
            expires_at,
        })
    }

    /// Presigns `request` as of the system clock's current time.
    #[cfg(feature = "std")]
    pub fn presign_now(&self, request: &PresignRequest<'_>) -> Result<PresignedUrl> {
        self.presign(request, OffsetDateTime::now_utc())
    }

    fn signs_token(&self) -> bool {
        self.encoded_token.is_some() && self.settings.session_token == SessionTokenMode::Signed
    }
}

impl Clone for Presigner {
    fn clone(&self) -> Self {
        Self {
            credentials: self.credentials.clone(),
            region: self.region.clone(),
            service: self.service.clone(),
            settings: self.settings,
            encoded_token: self.encoded_token.clone(),
            fixed_len: self.fixed_len,
            cache: KeyCache::default(),
        }
    }
}

impl fmt::Debug for Presigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigner")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

pub(crate) fn check_scope_part(field: &'static str, value: &str) -> Result<()> {
    let reason = if value.is_empty() {
        "it is empty: give the region (e.g. us-east-1) or service signing name (e.g. s3) of the endpoint"
    } else if value.contains('/') {
        "it holds `/`, which separates the parts of the credential scope: give the bare name, e.g. us-east-1 or s3"
    } else if !value.bytes().all(encoding::is_unreserved) {
        "use letters, digits, `-`, `.`, `_` and `~` only, e.g. us-east-1, s3 or execute-api"
    } else {
        return Ok(());
    };
    Err(Error::InvalidScope {
        field,
        value: value.into(),
        reason,
    })
}

fn check_method(method: &str) -> Result<Cow<'static, str>> {
    Ok(match method {
        "GET" => Cow::Borrowed("GET"),
        "PUT" => Cow::Borrowed("PUT"),
        "HEAD" => Cow::Borrowed("HEAD"),
        "POST" => Cow::Borrowed("POST"),
        "DELETE" => Cow::Borrowed("DELETE"),
        m if canonical_request::is_token(m) => Cow::Owned(m.into()),
        m => return Err(Error::InvalidMethod { method: m.into() }),
    })
}

fn check_expires(expires_in: Duration) -> Result<u32> {
    if expires_in.subsec_nanos() != 0 {
        return Err(Error::ExpiresNotWholeSeconds);
    }
    let seconds = expires_in.as_secs();
    if seconds == 0 || expires_in > MAX_EXPIRES_IN {
        return Err(Error::ExpiresOutOfRange { seconds });
    }
    Ok(seconds as u32)
}

/// The query parameters the signer adds, in canonical (sorted) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthParam {
    Algorithm,
    Credential,
    Date,
    Expires,
    SecurityToken,
    SignedHeaders,
}

const AUTH_PARAMS: [AuthParam; 6] = [
    AuthParam::Algorithm,
    AuthParam::Credential,
    AuthParam::Date,
    AuthParam::Expires,
    AuthParam::SecurityToken,
    AuthParam::SignedHeaders,
];

/// Names a request may not carry itself (compared without regard to case).
pub(crate) const RESERVED_PARAMS: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-Security-Token",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
];

impl AuthParam {
    fn name(self) -> &'static str {
        match self {
            AuthParam::Algorithm => "X-Amz-Algorithm",
            AuthParam::Credential => "X-Amz-Credential",
            AuthParam::Date => "X-Amz-Date",
            AuthParam::Expires => "X-Amz-Expires",
            AuthParam::SecurityToken => "X-Amz-Security-Token",
            AuthParam::SignedHeaders => "X-Amz-SignedHeaders",
        }
    }
}

/// What the values of the auth parameters are made of.
struct AuthValues<'a> {
    presigner: &'a Presigner,
    amz_date: &'a AmzDate,
    expires: u32,
    headers: &'a [(String, String)],
}

impl AuthValues<'_> {
    fn write(&self, param: AuthParam, out: &mut String) {
        match param {
            AuthParam::Algorithm => out.push_str(ALGORITHM),
            AuthParam::Credential => {
                let p = self.presigner;
                encoding::push_encoded(out, p.credentials.access_key_id().as_bytes(), UNRESERVED);
                out.push_str("%2F");
                out.push_str(self.amz_date.date());
                out.push_str("%2F");
                out.push_str(&p.region);
                out.push_str("%2F");
                out.push_str(&p.service);
                out.push_str("%2Faws4_request");
            }
            AuthParam::Date => out.push_str(self.amz_date.as_str()),
            AuthParam::Expires => push_u64(out, u64::from(self.expires)),
            AuthParam::SecurityToken => {
                if let Some(token) = &self.presigner.encoded_token {
                    out.push_str(token);
                }
            }
            AuthParam::SignedHeaders => {
                // Only names are written, so the host's value is not needed.
                let mut first = true;
                for_each_header("", self.headers, |name, _| {
                    if !first {
                        out.push_str("%3B");
                    }
                    first = false;
                    encoding::push_encoded(out, name.as_bytes(), UNRESERVED);
                });
            }
        }
    }
}

/// How many query parameters are sorted on the stack before a `Vec` is needed.
const INLINE_PIECES: usize = 16;

/// One query parameter of the canonical query.
#[derive(Debug, Clone, Copy)]
enum Piece<'a> {
    /// From the URL's query: percent-encoded, `+` a space; decoded, then encoded.
    Wire { name: &'a str, value: &'a str },
    /// Added with `PresignRequest::query`: raw text, encoded.
    Raw { name: &'a str, value: &'a str },
    /// Added by the signer.
    Auth(AuthParam),
}

impl Piece<'_> {
    fn name_bytes(&self) -> CanonicalBytes<'_> {
        match *self {
            Piece::Wire { name, .. } => CanonicalBytes::decoded(name),
            Piece::Raw { name, .. } => CanonicalBytes::raw(name),
            // Auth names are all unreserved characters: their encoding is themselves.
            Piece::Auth(p) => CanonicalBytes::raw(p.name()),
        }
    }

    fn value_bytes(&self) -> CanonicalBytes<'_> {
        match *self {
            Piece::Wire { value, .. } => CanonicalBytes::decoded(value),
            Piece::Raw { value, .. } => CanonicalBytes::raw(value),
            // Never compared: no other parameter may share an auth parameter's name.
            Piece::Auth(_) => CanonicalBytes::raw(""),
        }
    }

    fn write(&self, out: &mut String, auth: &AuthValues<'_>) {
        match *self {
            Piece::Wire { name, value } => {
                encoding::push_canonical(out, name, true);
                out.push('=');
                encoding::push_canonical(out, value, true);
            }
            Piece::Raw { name, value } => {
                encoding::push_encoded(out, name.as_bytes(), UNRESERVED);
                out.push('=');
                encoding::push_encoded(out, value.as_bytes(), UNRESERVED);
            }
            Piece::Auth(param) => {
                out.push_str(param.name());
                out.push('=');
                auth.write(param, out);
            }
        }
    }
}

/// Canonical query order: by encoded name, then by encoded value.
fn compare_pieces(a: &Piece<'_>, b: &Piece<'_>) -> Ordering {
    a.name_bytes()
        .cmp(b.name_bytes())
        .then_with(|| a.value_bytes().cmp(b.value_bytes()))
}

/// The bytes of a name or value in its canonical encoding, produced one at a time so that
/// parameters are sorted without encoding them into a buffer first.
struct CanonicalBytes<'a> {
    source: Source<'a>,
    pending: [u8; 2],
    pending_len: u8,
}

enum Source<'a> {
    Decoded(Decoded<'a>),
    Raw(core::slice::Iter<'a, u8>),
}

impl<'a> CanonicalBytes<'a> {
    fn decoded(wire: &'a str) -> Self {
        Self::new(Source::Decoded(Decoded::new(wire, true)))
    }

    fn raw(text: &'a str) -> Self {
        Self::new(Source::Raw(text.as_bytes().iter()))
    }

    fn new(source: Source<'a>) -> Self {
        Self {
            source,
            pending: [0; 2],
            pending_len: 0,
        }
    }
}

impl Iterator for CanonicalBytes<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.pending_len > 0 {
            let b = self.pending[2 - usize::from(self.pending_len)];
            self.pending_len -= 1;
            return Some(b);
        }
        let b = match &mut self.source {
            Source::Decoded(d) => d.next()?,
            Source::Raw(r) => *r.next()?,
        };
        if encoding::is_unreserved(b) {
            return Some(b);
        }
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.pending = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
        self.pending_len = 2;
        Some(b'%')
    }
}

/// The query parameters of one request: on the stack when they are few.
struct Pieces<'a> {
    store: PieceStore<'a>,
    /// How many came from the URL or the request (not from the signer).
    user_count: usize,
}

// The inline variant is large on purpose: it keeps a typical request's parameters on the
// stack, so sorting them allocates nothing.
#[allow(clippy::large_enum_variant)]
enum PieceStore<'a> {
    Inline([Piece<'a>; INLINE_PIECES], usize),
    Heap(Vec<Piece<'a>>),
}

impl<'a> Pieces<'a> {
    fn with_capacity(count: usize) -> Self {
        let store = if count <= INLINE_PIECES {
            PieceStore::Inline([Piece::Auth(AuthParam::Algorithm); INLINE_PIECES], 0)
        } else {
            PieceStore::Heap(Vec::with_capacity(count))
        };
        Self {
            store,
            user_count: 0,
        }
    }

    fn push(&mut self, piece: Piece<'a>) {
        if !matches!(piece, Piece::Auth(_)) {
            self.user_count += 1;
        }
        match &mut self.store {
            PieceStore::Inline(array, len) => match array.get_mut(*len) {
                Some(slot) => {
                    *slot = piece;
                    *len += 1;
                }
                None => {
                    let mut heap = Vec::with_capacity(2 * INLINE_PIECES);
                    heap.extend_from_slice(array);
                    heap.push(piece);
                    self.store = PieceStore::Heap(heap);
                }
            },
            PieceStore::Heap(heap) => heap.push(piece),
        }
    }

    fn as_mut_slice(&mut self) -> &mut [Piece<'a>] {
        match &mut self.store {
            PieceStore::Inline(array, len) => &mut array[..*len],
            PieceStore::Heap(heap) => heap,
        }
    }
}

/// Splits the URL's query and the raw parameters into pieces, checking each, and adds the
/// auth parameters (in their sorted order).
fn collect_pieces<'a>(
    url_query: &'a str,
    raw: &'a [(Cow<'_, str>, Cow<'_, str>)],
    signs_token: bool,
) -> Result<Pieces<'a>> {
    let wire = url_query.split('&').filter(|p| !p.is_empty());
    let mut pieces = Pieces::with_capacity(wire.clone().count() + raw.len() + AUTH_PARAMS.len());
    for pair in wire {
        if !encoding::escapes_are_valid(pair.as_bytes()) {
            return Err(Error::MalformedUrl {
                reason: encoding::BAD_ESCAPE,
            });
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        check_not_reserved(Decoded::new(name, true), name)?;
        pieces.push(Piece::Wire { name, value });
    }
    for (name, value) in raw {
        check_not_reserved(name.bytes(), name)?;
        pieces.push(Piece::Raw { name, value });
    }
    for param in AUTH_PARAMS {
        if param != AuthParam::SecurityToken || signs_token {
            pieces.push(Piece::Auth(param));
        }
    }
    Ok(pieces)
}

/// Refuses a parameter whose (decoded) name is an auth parameter's, in any case.
fn check_not_reserved(decoded_name: impl Iterator<Item = u8> + Clone, shown: &str) -> Result<()> {
    let is_reserved = RESERVED_PARAMS.iter().any(|reserved| {
        let mut it = decoded_name.clone();
        reserved
            .bytes()
            .all(|r| it.next().is_some_and(|b| b.eq_ignore_ascii_case(&r)))
            && it.next().is_none()
    });
    if is_reserved {
        Err(Error::AuthParameterPresent { name: shown.into() })
    } else {
        Ok(())
    }
}

/// A presigned request: the URL to hand out, and what the client must send with it.
///
/// The URL carries the session token when the credentials have one: treat it as a
/// short-lived bearer credential. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedUrl {
    url: String,
    method: Cow<'static, str>,
    host: Range<usize>,
    path: Range<usize>,
    query: Range<usize>,
    signature: usize,
    headers: Vec<(String, String)>,
    payload_hash: PayloadHash,
    path_encoding: PathEncoding,
    normalize_path: bool,
    amz_date: AmzDate,
    signed_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

impl PresignedUrl {
    /// The presigned URL, exactly as signed.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The presigned URL, by value.
    pub fn into_url(self) -> String {
        self.url
    }

    /// The HTTP method the URL is signed for; the client must use it.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The signature (`X-Amz-Signature`), 64 lower-case hex digits.
    pub fn signature(&self) -> &str {
        self.url.get(self.signature..).unwrap_or_default()
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

    /// The credential scope, `YYYYMMDD/REGION/SERVICE/aws4_request`.
    pub fn credential_scope(&self) -> String {
        let (region, service) = self.scope_region_service();
        let mut scope = String::with_capacity(32 + region.len() + service.len());
        for part in [
            self.amz_date.date(),
            "/",
            region,
            "/",
            service,
            "/aws4_request",
        ] {
            scope.push_str(part);
        }
        scope
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

    /// When the URL stops working: the signing time plus the expiry.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
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
        let mut hasher = Sha256::new();
        self.canonical().write(&mut |piece| hasher.update(piece));
        let hash: [u8; 32] = hasher.finalize().into();
        let (region, service) = self.scope_region_service();
        StringToSign {
            amz_date: &self.amz_date,
            region,
            service,
            canonical_request_hash: &hash,
        }
        .to_text()
    }

    fn slice(&self, r: &Range<usize>) -> &str {
        self.url.get(r.clone()).unwrap_or_default()
    }

    fn canonical(&self) -> CanonicalRequest<'_> {
        CanonicalRequest {
            method: &self.method,
            path: self.slice(&self.path),
            path_encoding: self.path_encoding,
            normalize_path: self.normalize_path,
            query: self.slice(&self.query),
            host: self.slice(&self.host),
            headers: &self.headers,
            payload_hash: self.payload_hash.as_str(),
        }
    }

    /// Region and service, read back from `X-Amz-Credential` (they are unreserved
    /// characters, so the URL holds them verbatim between `%2F`s).
    fn scope_region_service(&self) -> (&str, &str) {
        let query = self.slice(&self.query);
        let credential = query
            .split('&')
            .find_map(|p| p.strip_prefix("X-Amz-Credential="))
            .unwrap_or_default();
        let mut parts = credential.rsplit("%2F").skip(1);
        let service = parts.next().unwrap_or_default();
        let region = parts.next().unwrap_or_default();
        (region, service)
    }

    /// The URL with the session token's value replaced, safe to log.
    pub fn redacted_url(&self) -> String {
        let query_start = self.query.start;
        let mut out = String::with_capacity(self.url.len());
        out.push_str(self.url.get(..query_start).unwrap_or_default());
        let query = self.url.get(query_start..).unwrap_or_default();
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            match pair.split_once('=') {
                Some(("X-Amz-Security-Token", _)) => {
                    out.push_str("X-Amz-Security-Token=<redacted>")
                }
                _ => out.push_str(pair),
            }
        }
        out
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
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::signing_key::tests::DERIVATIONS;
    use time::macros::datetime;

    #[test]
    fn derives_the_key_once_per_day() {
        let creds = Credentials::new("AKID", "secret").unwrap();
        let presigner = Presigner::new(creds, "us-east-1", "s3").unwrap();
        let request = PresignRequest::get("https://b.s3.amazonaws.com/k");
        let count = || DERIVATIONS.with(|n| n.get());
        let start = count();
        for hour in 0..24 {
            let t = datetime!(2024-05-01 0:00 UTC) + time::Duration::hours(hour);
            presigner.presign(&request, t).unwrap();
        }
        assert_eq!(count() - start, 1, "one derivation for one day");
        presigner
            .presign(&request, datetime!(2024-05-02 0:00 UTC))
            .unwrap();
        assert_eq!(count() - start, 2, "a new day derives a new key");
        presigner
            .presign(&request, datetime!(2024-05-02 23:59:59 UTC))
            .unwrap();
        assert_eq!(count() - start, 2);
    }

    #[test]
    fn debug_redacts_the_session_token() {
        let creds = Credentials::new("AKID", "wJalrXUtnFEMI")
            .unwrap()
            .with_session_token("SeCrEtToKeN")
            .unwrap();
        let presigner = Presigner::new(creds, "us-east-1", "s3").unwrap();
        let signed = presigner
            .presign(
                &PresignRequest::get("https://b.s3.amazonaws.com/k"),
                datetime!(2024-05-01 0:00 UTC),
            )
            .unwrap();
        assert!(signed.url().contains("SeCrEtToKeN"));
        for shown in [
            alloc::format!("{signed:?}"),
            alloc::format!("{presigner:?}"),
            signed.redacted_url(),
        ] {
            assert!(
                !shown.contains("SeCrEtToKeN") && !shown.contains("wJalr"),
                "{shown}"
            );
        }
        assert!(
            signed
                .redacted_url()
                .contains("X-Amz-Security-Token=<redacted>&X-Amz-SignedHeaders=host")
        );
    }
}
