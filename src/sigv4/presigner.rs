//! Step 4: the presigner, which ties the steps together.

use alloc::string::String;
use core::fmt;

use time::OffsetDateTime;

use crate::error::Result;
use crate::sigv4::Timestamp;
use crate::sigv4::amz_date::AmzDate;
use crate::sigv4::auth_query::{AuthQuery, AuthQueryTemplate};
use crate::sigv4::cache::{KeyCache, SecondCache, SecondState};
use crate::sigv4::credentials::Credentials;
use crate::sigv4::digest::HmacKey;
use crate::sigv4::presigned_url::{PresignedUrl, Span, URL_TOO_LONG, UrlLayout};
use crate::sigv4::request::{PresignRequest, check_request};
use crate::sigv4::scope::check_scope_part;
use crate::sigv4::settings::Settings;
use crate::sigv4::signing_key::SigningKey;

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
    pub(super) credentials: Credentials,
    pub(super) settings: Settings,
    /// The auth parameters' fixed text; holds the region and service.
    pub(super) auth: AuthQueryTemplate,
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
    /// Errors: [`Error::InvalidScope`](crate::Error::InvalidScope) when the region or service is empty or holds a
    /// character other than letters, digits, `-`, `.`, `_` and `~` (a `/` above all).
    pub fn new(credentials: Credentials, region: &str, service: &str) -> Result<Self> {
        check_scope_part("region", region)?;
        check_scope_part("service", service)?;
        let settings = Settings::for_service(service);
        let auth = AuthQueryTemplate::new(
            credentials.access_key_id(),
            region,
            service,
            credentials.session_token(),
            settings.session_token,
            settings.session_token_parameter,
        );
        Ok(Self {
            credentials,
            settings,
            auth,
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
        if settings.session_token != self.settings.session_token
            || settings.session_token_parameter != self.settings.session_token_parameter
        {
            self.auth = AuthQueryTemplate::new(
                self.credentials.access_key_id(),
                self.auth.region(),
                self.auth.service(),
                self.credentials.session_token(),
                settings.session_token,
                settings.session_token_parameter,
            );
        }
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
        self.auth.region()
    }

    /// The service (signing name) of the credential scope.
    pub fn service(&self) -> &str {
        self.auth.service()
    }

    /// The signing key for the day of `time` (UTC).
    pub fn signing_key(&self, time: impl Timestamp) -> Result<SigningKey> {
        let time = time.to_offset_date_time()?;
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
    /// Errors: any [`Error`](crate::Error) about the method, URL, headers, query parameters, payload hash
    /// or expiry of the request; [`Error::TimeOutOfRange`](crate::Error::TimeOutOfRange) when `time` or its expiry falls
    /// outside the years 0000 to 9999.
    pub fn presign(
        &self,
        request: &PresignRequest<'_>,
        time: impl Timestamp,
    ) -> Result<PresignedUrl> {
        self.presign_at(request, time.to_offset_date_time()?)
    }

    /// [`Presigner::presign`] once the time is an `OffsetDateTime`: one copy of the signing
    /// path, whatever time type callers use.
    fn presign_at(
        &self,
        request: &PresignRequest<'_>,
        time: OffsetDateTime,
    ) -> Result<PresignedUrl> {
        let second = time.unix_timestamp();
        let (method, expires, target) = check_request(request, &self.credentials, second)?;
        let signing = self.second_state(time, second)?;
        let mut out = String::with_capacity(self.url_capacity(request, &target));
        let host = target.write_origin(&mut out);
        let (path, path_is_canonical) = self.write_path(&mut out, &target, request.verbatim_path);
        let headers = request.signed_headers(&out[host.clone()], target.scheme)?;
        let auth = AuthQuery {
            template: &self.auth,
            amz_date: &signing.amz_date,
            expires,
            headers: &headers,
        };
        out.push('?');
        let query_start = out.len();
        let landmarks = self.write_query(&mut out, &target, request, &auth)?;
        let query = query_start..out.len();
        let (region, service) = auth.scope_in_url(landmarks.credential_at);
        // The tail: a token listed last, then `&X-Amz-Signature=`.
        self.auth.push_tail(&mut out);
        let listed_last_token = self.token_listed_last().map(|piece_len| {
            let piece = Span::new(query.end + 1..query.end + 1 + piece_len);
            let at = u32::try_from(landmarks.left_out_at - query_start).unwrap_or(u32::MAX);
            (piece, at)
        });
        // The URL is complete but for the 64 digits of the signature.
        let signature_at = u32::try_from(out.len())
            .ok()
            .filter(|&at| at <= u32::MAX - 64)
            .ok_or(URL_TOO_LONG)?;
        let layout = UrlLayout {
            host: Span::new(host),
            path: Span::new(path),
            query: Span::new(query),
            listed_last_token,
            region: Span::new(region),
            service: Span::new(service),
            signature: signature_at,
            path_is_canonical,
        };

        let payload_hash = request.payload_hash.unwrap_or(self.settings.payload_hash);
        let hash = layout.canonical_hash(&out, &method, &headers, &payload_hash, &self.settings);
        let signature = signing.signature(&hash, self.region(), self.service());
        // Hex digits are ASCII.
        out.push_str(core::str::from_utf8(&signature).unwrap_or_default());
        Ok(PresignedUrl {
            url: out,
            method,
            layout,
            headers,
            payload_hash,
            path_encoding: self.settings.path_encoding,
            normalize_path: self.settings.normalize_path,
            amz_date: signing.amz_date,
            signed_at: time,
            expires,
            region_set: None,
        })
    }

    /// Presigns `request` as of the current time: the system clock's. On
    /// `wasm32-unknown-unknown`, which has no clock, it exists only with the `js-clock`
    /// feature (JavaScript's `Date.now()`); otherwise pass the time to
    /// [`Presigner::presign`].
    #[cfg(all(
        feature = "std",
        any(
            not(all(target_arch = "wasm32", target_os = "unknown")),
            feature = "js-clock"
        )
    ))]
    pub fn presign_now(&self, request: &PresignRequest<'_>) -> Result<PresignedUrl> {
        self.presign(request, crate::sigv4::clock::now())
    }

    /// Does not exist on `wasm32-unknown-unknown` without the `js-clock` feature: that
    /// target has no clock (a call fails to compile, saying so).
    #[cfg(all(
        feature = "std",
        target_arch = "wasm32",
        target_os = "unknown",
        not(feature = "js-clock")
    ))]
    pub fn presign_now<'r>(&self, request: &PresignRequest<'r>) -> Result<PresignedUrl>
    where
        PresignRequest<'r>: crate::sigv4::NoClockOnThisTarget,
    {
        let _ = request;
        Err(crate::error::Error::TimeOutOfRange)
    }
}

impl Clone for Presigner {
    fn clone(&self) -> Self {
        Self {
            credentials: self.credentials.clone(),
            settings: self.settings,
            auth: self.auth.clone(),
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

#[cfg(test)]
#[cfg(feature = "std")]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::sigv4::settings::SessionTokenMode;
    use crate::sigv4::signing_key::tests::DERIVATIONS;
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

    fn listed_last(
        mode: SessionTokenMode,
        request: &PresignRequest<'_>,
    ) -> (String, String, String) {
        let creds = Credentials::new("AKID", "secret")
            .unwrap()
            .with_session_token("to/ken")
            .unwrap();
        let presigner = Presigner::new(creds, "us-east-1", "s3")
            .unwrap()
            .with_settings(Settings::s3().with_session_token(mode));
        let signed = presigner
            .presign(request, datetime!(2024-05-01 0:00 UTC))
            .unwrap();
        (
            signed.url().into(),
            signed.canonical_request(),
            signed.signature().into(),
        )
    }

    #[test]
    fn a_token_listed_last_signs_as_in_place() {
        for request in [
            PresignRequest::get("https://b.s3.amazonaws.com/k"),
            PresignRequest::get("https://b.s3.amazonaws.com/k?versionId=1&A=2")
                .query("X-Amz-Sz", "3"),
        ] {
            let (in_place, creq, signature) = listed_last(SessionTokenMode::Signed, &request);
            let (last, creq_last, signature_last) =
                listed_last(SessionTokenMode::SignedListedLast, &request);
            assert_eq!(signature, signature_last);
            assert_eq!(creq, creq_last);
            assert!(creq.contains("X-Amz-Security-Token=to%2Fken&X-Amz-SignedHeaders=host"));
            assert!(
                last.ends_with(&alloc::format!(
                    "&X-Amz-Security-Token=to%2Fken&X-Amz-Signature={signature}"
                )),
                "{last}"
            );
            assert_eq!(in_place.len(), last.len());
            let (appended, creq_appended, signature_appended) =
                listed_last(SessionTokenMode::AppendAfterSigning, &request);
            assert_eq!(appended, last.replace(&signature, &signature_appended));
            assert!(!creq_appended.contains("Security-Token"));
            assert_ne!(signature, signature_appended);
        }
    }

    #[test]
    fn scope_and_path_as_signed() {
        let creds = Credentials::new("AKID", "secret").unwrap();
        let presigner = Presigner::new(creds, "eu-west-3", "execute-api").unwrap();
        let signed = presigner
            .presign(
                &PresignRequest::get("https://api.example.com/a b/./c?x=1"),
                datetime!(2024-05-01 0:00 UTC),
            )
            .unwrap();
        assert_eq!(
            (signed.region(), signed.service()),
            ("eu-west-3", "execute-api")
        );
        assert_eq!(
            signed.credential_scope(),
            "20240501/eu-west-3/execute-api/aws4_request"
        );
        assert_eq!(
            signed.url_without_scheme().split('?').next(),
            Some("api.example.com/a%20b/./c")
        );
        assert!(
            signed
                .canonical_request()
                .starts_with("GET\n/a%2520b/c\nX-Amz-")
        );
        assert!(signed.string_to_sign().starts_with(
            "AWS4-HMAC-SHA256\n20240501T000000Z\n20240501/eu-west-3/execute-api/aws4_request\n"
        ));
    }
}
