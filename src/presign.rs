//! Step 4: the presigner, which ties the steps together, and the presigned request it returns.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;
use core::time::Duration;

use time::OffsetDateTime;

use crate::amz_date::AmzDate;
use crate::cache::{KeyCache, SecondCache, SecondState};
use crate::canonical_query::{AuthText, AuthValues, collect_pieces, compare_pieces};
use crate::canonical_request::{self, CanonicalRequest, for_each_header};
use crate::credentials::Credentials;
use crate::digest::{HmacKey, Sha256Stream};
use crate::encoding::{self, UNRESERVED};
use crate::error::{Error, Result};
use crate::request::{MAX_EXPIRES_IN, PresignRequest};
use crate::settings::{PathEncoding, PayloadHash, SessionTokenMode, Settings};
use crate::signing_key::SigningKey;
use crate::string_to_sign::StringToSign;
use crate::url::Url;

/// Signs requests for one set of credentials, one region and one service.
///
/// Build it once and share it: it is `Send + Sync`, and [`Presigner::presign`] takes
/// `&self`. It derives the signing key once per day, and prepares the part of the
/// signature that depends only on the second once per second; threads read both caches
/// without taking a lock.
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
    settings: Settings,
    /// The encoded session token, when there is one.
    encoded_token: Option<Box<str>>,
    /// The auth query around the scope date; holds the region and service.
    auth_text: AuthText,
    /// Bytes every URL needs beyond the request's own: auth parameters and signature.
    fixed_len: usize,
    /// The most recent day's signing key.
    keys: KeyCache,
    /// The most recent second's date text and MAC state.
    seconds: SecondCache,
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
        let auth_text = AuthText::new(credentials.access_key_id(), region, service);
        let fixed_len = 230
            + 3 * credentials.access_key_id().len()
            + region.len()
            + service.len()
            + encoded_token.as_ref().map_or(0, |t| t.len() + 24);
        Ok(Self {
            credentials,
            settings: Settings::for_service(service),
            encoded_token,
            auth_text,
            fixed_len,
            keys: KeyCache::default(),
            seconds: SecondCache::default(),
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
        self.auth_text.region()
    }

    /// The service (signing name) of the credential scope.
    pub fn service(&self) -> &str {
        self.auth_text.service()
    }

    /// The signing key for the day of `time` (UTC).
    pub fn signing_key(&self, time: OffsetDateTime) -> Result<SigningKey> {
        let date = AmzDate::new(time)?;
        Ok(SigningKey::derive_for(
            &self.credentials,
            &date,
            self.region(),
            self.service(),
        ))
    }

    /// The prepared signing key of the day of `date` (the time `second` seconds after the
    /// Unix epoch), from the cache when it holds that day.
    pub(crate) fn prepared_key(&self, second: i64, date: &AmzDate) -> HmacKey {
        let day = second.div_euclid(86_400);
        if let Some(key) = self.keys.get(day) {
            return key;
        }
        let key = SigningKey::derive_for(&self.credentials, date, self.region(), self.service())
            .prepare();
        self.keys.put(day, &key);
        key
    }

    /// What signing at `time` (`second` seconds after the Unix epoch) needs beyond the
    /// request: from the cache when it holds that second.
    #[inline]
    fn second_state(&self, time: OffsetDateTime, second: i64) -> Result<SecondState> {
        if let Some(state) = self.seconds.get(second) {
            return Ok(state);
        }
        let amz_date = AmzDate::new(time)?;
        let key = self.prepared_key(second, &amz_date);
        let state = SecondState::new(second, amz_date, &key, self.region(), self.service());
        self.seconds.put(&state);
        Ok(state)
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
        let second = time.unix_timestamp();
        let signing = self.second_state(time, second)?;
        let amz_date = signing.amz_date;
        // The expiry must be a time SigV4 can write (the year 9999 at the latest).
        if second > LAST_SECOND - i64::from(expires) {
            return Err(Error::TimeOutOfRange);
        }
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
            text: &self.auth_text,
            encoded_token: self.encoded_token.as_deref().filter(|_| self.signs_token()),
            amz_date: &amz_date,
            expires,
            headers: &headers,
        };
        if url.query.is_empty() && request.query.is_empty() {
            // Only the auth parameters, which are in canonical order as they come.
            auth.write_all(&mut out);
        } else {
            let mut pieces = collect_pieces(url.query, &request.query, self.signs_token())?;
            let pieces = pieces.as_mut_slice();
            pieces.sort_unstable_by(compare_pieces);
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    out.push('&');
                }
                piece.write(&mut out, &auth);
            }
        }
        let query = query_start..out.len();

        // Hash the canonical request, then sign the string to sign.
        let mut hasher = Sha256Stream::new();
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
        let canonical_request_hash = hasher.finalize();

        // The string to sign up to the hash is the same all this second: the MAC resumes
        // after it.
        let mut mac = signing.start(self.region(), self.service());
        mac.update(&crate::digest::hex_digits(&canonical_request_hash));
        let signature = crate::digest::hex_digits(&signing.finish(&mut mac));

        if let (Some(token), SessionTokenMode::AppendAfterSigning) =
            (&self.encoded_token, self.settings.session_token)
        {
            out.push_str("&X-Amz-Security-Token=");
            out.push_str(token);
        }
        out.push_str("&X-Amz-Signature=");
        let signature_start = out.len();
        // Hex digits are ASCII.
        out.push_str(core::str::from_utf8(&signature).unwrap_or_default());

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
            expires,
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
            settings: self.settings,
            encoded_token: self.encoded_token.clone(),
            auth_text: self.auth_text.clone(),
            fixed_len: self.fixed_len,
            keys: KeyCache::default(),
            seconds: SecondCache::default(),
        }
    }
}

impl fmt::Debug for Presigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigner")
            .field("credentials", &self.credentials)
            .field("region", &self.region())
            .field("service", &self.service())
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

/// 9999-12-31T23:59:59Z, the last second SigV4's date format can write.
const LAST_SECOND: i64 = 253_402_300_799;

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
    /// Seconds from `signed_at` to the expiry.
    expires: u32,
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
            .field("expires_at", &self.expires_at())
            .finish()
    }
}

#[cfg(test)]
#[cfg(feature = "std")]
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
    fn expiry_up_to_the_last_writable_second_in_any_offset() {
        let creds = Credentials::new("AKID", "secret").unwrap();
        let presigner = Presigner::new(creds, "us-east-1", "s3").unwrap();
        let day = PresignRequest::get("https://b.s3.amazonaws.com/k")
            .expires_in(core::time::Duration::from_secs(86_400));
        // East of UTC: the expiry, 9999-12-31T20:00Z, is 10000-01-01 in the signing
        // offset; it is given in UTC, and nothing panics.
        let signed = presigner
            .presign(&day, datetime!(9999-12-31 10:00 +14))
            .unwrap();
        assert_eq!(signed.expires_at(), datetime!(9999-12-31 20:00 UTC));
        assert!(alloc::format!("{signed:?}").contains("expires_at"));
        let signed = presigner
            .presign(&day, datetime!(2024-05-01 10:00 +2))
            .unwrap();
        assert_eq!(signed.expires_at(), datetime!(2024-05-02 10:00 +2));
        // West of UTC: an expiry past 9999-12-31T23:59:59Z is refused, as is a signing
        // time whose UTC date is in the year 10000.
        let two_hours = PresignRequest::get("https://b.s3.amazonaws.com/k")
            .expires_in(core::time::Duration::from_secs(7_200));
        for (request, time) in [
            (&two_hours, datetime!(9999-12-31 18:00 -5)),
            (&day, datetime!(9999-12-31 18:00 -12)),
        ] {
            assert_eq!(
                presigner.presign(request, time),
                Err(Error::TimeOutOfRange),
                "{time}"
            );
        }
        let last = PresignRequest::get("https://b.s3.amazonaws.com/k")
            .expires_in(core::time::Duration::from_secs(1));
        assert!(
            presigner
                .presign(&last, datetime!(9999-12-31 23:59:58 UTC))
                .is_ok()
        );
        assert!(
            presigner
                .presign(&last, datetime!(9999-12-31 23:59:59 UTC))
                .is_err()
        );
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
