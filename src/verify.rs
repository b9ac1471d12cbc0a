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

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::amz_date::{AmzDate, Utc};
use crate::canonical_query::canonical_query_of_wire;
use crate::canonical_request::{self, CanonicalRequest};
use crate::credentials::Credentials;
use crate::encoding::{self, Decoded};
use crate::error::Error;
use crate::presign::check_scope_part;
use crate::settings::{SessionTokenMode, Settings};
use crate::signing_key::SigningKey;
use crate::string_to_sign::{ALGORITHM, StringToSign};

/// The longest request target (path and query) accepted, in bytes.
pub const MAX_TARGET_LEN: usize = 16 * 1024;
/// The most request headers accepted.
pub const MAX_HEADERS: usize = 256;
/// The longest header value accepted, in bytes.
pub const MAX_HEADER_VALUE_LEN: usize = 16 * 1024;
/// The most query parameters accepted.
pub const MAX_QUERY_PARAMS: usize = 1024;
/// The clock skew allowed by default for a signing time in the future.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// Why a presigned request was refused. Messages never contain a secret or a session token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The request target, a header or an auth parameter is malformed.
    #[error("malformed request: {reason}")]
    Malformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// The request is larger than the documented caps.
    #[error("request too large: {what} exceeds {limit}")]
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// The cap.
        limit: usize,
    },
    /// An auth parameter is missing.
    #[error("missing query parameter {name}: this is not a presigned request")]
    MissingParameter {
        /// The parameter.
        name: &'static str,
    },
    /// An auth parameter appears twice.
    #[error("query parameter {name} appears more than once")]
    DuplicateParameter {
        /// The parameter.
        name: &'static str,
    },
    /// `X-Amz-Algorithm` is not `AWS4-HMAC-SHA256`.
    #[error("unsupported algorithm {algorithm:?}: only AWS4-HMAC-SHA256 is accepted")]
    UnsupportedAlgorithm {
        /// The algorithm named.
        algorithm: String,
    },
    /// No secret is known for the access key id.
    #[error("unknown access key id {access_key_id:?}")]
    UnknownAccessKey {
        /// The access key id named.
        access_key_id: String,
    },
    /// The credential scope names another date, region or service than expected.
    #[error("credential scope mismatch: {part} is {found:?}, expected {expected}")]
    ScopeMismatch {
        /// `"date"`, `"region"`, `"service"` or `"terminator"`.
        part: &'static str,
        /// What the request says.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// `X-Amz-Expires` is not a number of seconds in 1..=604800.
    #[error(
        "X-Amz-Expires {seconds} is out of range: at most 604800 seconds (7 days) and at least 1"
    )]
    ExpiresOutOfRange {
        /// The number given (saturated).
        seconds: u64,
    },
    /// The request was signed further in the future than the allowed clock skew.
    #[error("signed at {}, in the future beyond the allowed clock skew", Utc(*signed_at))]
    NotYetValid {
        /// The signing time.
        signed_at: OffsetDateTime,
    },
    /// The URL has expired.
    #[error("the presigned URL expired at {}", Utc(*expired_at))]
    Expired {
        /// When it expired.
        expired_at: OffsetDateTime,
    },
    /// A header listed in `X-Amz-SignedHeaders` is absent from the request.
    #[error("signed header {name:?} is absent from the request")]
    SignedHeaderMissing {
        /// The header name.
        name: String,
    },
    /// The session token is missing, unexpected or different from the expected one.
    #[error("the session token does not match the credentials")]
    SessionTokenMismatch,
    /// The signature does not match the request.
    #[error(
        "signature mismatch: the request differs from what was signed, or another secret signed it"
    )]
    SignatureMismatch,
}

impl From<Error> for VerifyError {
    fn from(error: Error) -> Self {
        let reason = match error {
            Error::InvalidHeaderName { .. } => "a signed header name is not an HTTP token",
            Error::InvalidHeaderValue { .. } => {
                "a signed header value holds a line break or control character"
            }
            _ => "the request cannot be canonicalised",
        };
        VerifyError::Malformed { reason }
    }
}

/// Where the verifier finds the credentials of an access key id: any
/// `Fn(&str) -> Option<Credentials>`, or a type of yours. Credentials with a session token
/// require requests to carry exactly that token.
pub trait CredentialStore {
    /// The credentials of `access_key_id`, if it is known.
    fn credentials(&self, access_key_id: &str) -> Option<Credentials>;
}

impl<F: Fn(&str) -> Option<Credentials>> CredentialStore for F {
    fn credentials(&self, access_key_id: &str) -> Option<Credentials> {
        self(access_key_id)
    }
}

/// A request as it arrived: the method, the request target (path and query, in wire form,
/// exactly as in the request line) and the headers.
///
/// The `Host` value is compared as the signer wrote it: lower-cased, without the scheme's
/// default port (`:443`; `:80` after [`ReceivedRequest::over_http`]).
///
/// `Debug` shows the path and header names only: the query may hold a session token.
#[derive(Clone, Copy)]
pub struct ReceivedRequest<'a> {
    method: &'a str,
    target: &'a str,
    headers: &'a [(&'a str, &'a str)],
    default_port: &'static str,
}

impl<'a> ReceivedRequest<'a> {
    /// A request received over https. `headers` must include `Host`.
    pub fn new(method: &'a str, target: &'a str, headers: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            method,
            target,
            headers,
            default_port: ":443",
        }
    }

    /// The request came over plain http (its default port is 80, not 443).
    pub fn over_http(mut self) -> Self {
        self.default_port = ":80";
        self
    }
}

impl fmt::Debug for ReceivedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.target.split('?').next().unwrap_or_default();
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &path)
            .field("header_names", &names)
            .finish_non_exhaustive()
    }
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    access_key_id: String,
    date: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
    signed_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

impl Verified {
    /// The access key id that signed.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The credential scope, `YYYYMMDD/REGION/SERVICE/aws4_request`.
    pub fn scope(&self) -> String {
        alloc::format!(
            "{}/{}/{}/aws4_request",
            self.date,
            self.region,
            self.service
        )
    }

    /// The region of the scope.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service of the scope.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The signed headers, lower-case and sorted (`host` among them).
    pub fn signed_headers(&self) -> &[String] {
        &self.signed_headers
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

/// Checks presigned requests for one service in one or more regions.
pub struct Verifier<S> {
    store: S,
    regions: Vec<String>,
    service: String,
    settings: Settings,
    max_skew: Duration,
}

impl<S> fmt::Debug for Verifier<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("regions", &self.regions)
            .field("service", &self.service)
            .field("settings", &self.settings)
            .field("max_skew", &self.max_skew)
            .finish_non_exhaustive()
    }
}

/// The auth parameters of a request, decoded.
struct AuthParams<'a> {
    algorithm: Option<Cow<'a, str>>,
    credential: Option<Cow<'a, str>>,
    date: Option<Cow<'a, str>>,
    expires: Option<Cow<'a, str>>,
    signed_headers: Option<Cow<'a, str>>,
    signature: Option<Cow<'a, str>>,
    token: Option<Cow<'a, str>>,
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
        now: OffsetDateTime,
    ) -> Result<Verified, VerifyError> {
        let checked = self.check(request)?;
        let signature = &checked.signature;
        let key = SigningKey::derive_for(
            &checked.credentials,
            &checked.amz_date,
            &checked.region,
            &self.service,
        )
        .prepare();
        let (_, hash) = checked.canonical(self)?;
        let mut mac = key.start();
        StringToSign {
            amz_date: &checked.amz_date,
            region: &checked.region,
            service: &self.service,
            canonical_request_hash: &hash,
        }
        .write(&mut |piece| mac.update(piece));
        let expected = key.finish(&mut mac);
        if !constant_time_eq(&expected, signature) {
            return Err(VerifyError::SignatureMismatch);
        }
        let skew = time::Duration::try_from(self.max_skew).unwrap_or(time::Duration::MAX);
        if checked.signed_at > now.saturating_add(skew) {
            return Err(VerifyError::NotYetValid {
                signed_at: checked.signed_at,
            });
        }
        if now > checked.expires_at {
            return Err(VerifyError::Expired {
                expired_at: checked.expires_at,
            });
        }
        Ok(Verified {
            access_key_id: checked.access_key_id,
            date: checked.amz_date.date().to_string(),
            region: checked.region,
            service: self.service.clone(),
            signed_headers: checked.signed_headers,
            signed_at: checked.signed_at,
            expires_at: checked.expires_at,
        })
    }

    /// The canonical request the verifier computes for `request`, to compare with the
    /// signer's when a signature does not match. It contains the session token, if any.
    pub fn canonical_request(&self, request: &ReceivedRequest<'_>) -> Result<String, VerifyError> {
        let checked = self.check(request)?;
        Ok(checked.canonical(self)?.0)
    }

    /// Parses and checks everything but the signature and the clock.
    fn check<'r>(&self, request: &ReceivedRequest<'r>) -> Result<Checked<'r>, VerifyError> {
        let malformed = |reason| VerifyError::Malformed { reason };
        if request.target.len() > MAX_TARGET_LEN {
            return Err(VerifyError::TooLarge {
                what: "the request target",
                limit: MAX_TARGET_LEN,
            });
        }
        if request.headers.len() > MAX_HEADERS {
            return Err(VerifyError::TooLarge {
                what: "the number of headers",
                limit: MAX_HEADERS,
            });
        }
        if request
            .headers
            .iter()
            .any(|(_, v)| v.len() > MAX_HEADER_VALUE_LEN)
        {
            return Err(VerifyError::TooLarge {
                what: "a header value",
                limit: MAX_HEADER_VALUE_LEN,
            });
        }
        if !canonical_request::is_token(request.method) {
            return Err(malformed("the method is not an HTTP token"));
        }
        let target = request.target;
        // A raw space is tolerated (AWS's CRT suite signs request lines holding one).
        if target.bytes().any(|b| b < b' ' || b == 0x7f || b == b'#') {
            return Err(malformed(
                "the request target holds a control character or `#`",
            ));
        }
        if !target.starts_with('/') {
            return Err(malformed("the request target must start with `/`"));
        }
        if !encoding::escapes_are_valid(target.as_bytes()) {
            return Err(malformed("invalid percent-escape in the request target"));
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let params = parse_auth_params(query)?;

        let algorithm = params.algorithm.ok_or(VerifyError::MissingParameter {
            name: "X-Amz-Algorithm",
        })?;
        if algorithm != ALGORITHM {
            return Err(VerifyError::UnsupportedAlgorithm {
                algorithm: algorithm.chars().take(64).collect(),
            });
        }
        let credential = params.credential.ok_or(VerifyError::MissingParameter {
            name: "X-Amz-Credential",
        })?;
        let date_text = params
            .date
            .ok_or(VerifyError::MissingParameter { name: "X-Amz-Date" })?;
        let expires_text = params.expires.ok_or(VerifyError::MissingParameter {
            name: "X-Amz-Expires",
        })?;
        let signed_headers_text = params.signed_headers.ok_or(VerifyError::MissingParameter {
            name: "X-Amz-SignedHeaders",
        })?;
        let signature_text = params.signature.ok_or(VerifyError::MissingParameter {
            name: "X-Amz-Signature",
        })?;

        // X-Amz-Credential: KEY/DATE/REGION/SERVICE/aws4_request (the key holds no `/`).
        let mut parts = credential.rsplitn(5, '/');
        let (Some(terminator), Some(service), Some(region), Some(scope_date), Some(access_key_id)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(malformed(
                "X-Amz-Credential is not KEY/DATE/REGION/SERVICE/aws4_request",
            ));
        };
        if access_key_id.is_empty() {
            return Err(malformed("X-Amz-Credential names no access key id"));
        }
        let signed_at = parse_amz_date(&date_text)?;
        let amz_date =
            AmzDate::new(signed_at).map_err(|_| malformed("X-Amz-Date is out of range"))?;
        if scope_date != amz_date.date() {
            return Err(VerifyError::ScopeMismatch {
                part: "date",
                found: scope_date.chars().take(16).collect(),
                expected: amz_date.date().to_string(),
            });
        }
        if !self.regions.iter().any(|r| r == region) {
            return Err(VerifyError::ScopeMismatch {
                part: "region",
                found: region.chars().take(64).collect(),
                expected: self.regions.join(" or "),
            });
        }
        if service != self.service {
            return Err(VerifyError::ScopeMismatch {
                part: "service",
                found: service.chars().take(64).collect(),
                expected: self.service.clone(),
            });
        }
        if terminator != "aws4_request" {
            return Err(VerifyError::ScopeMismatch {
                part: "terminator",
                found: terminator.chars().take(64).collect(),
                expected: "aws4_request".to_string(),
            });
        }
        let expires = parse_expires(&expires_text)?;
        let expires_at = signed_at
            .checked_add(time::Duration::seconds(i64::from(expires)))
            .ok_or(malformed("X-Amz-Date plus X-Amz-Expires is out of range"))?;
        let signature = parse_signature(&signature_text)?;
        let signed_headers = parse_signed_headers(&signed_headers_text)?;

        let credentials = self
            .store
            .credentials(access_key_id)
            .filter(|c| c.access_key_id() == access_key_id)
            .ok_or_else(|| VerifyError::UnknownAccessKey {
                access_key_id: access_key_id.chars().take(128).collect(),
            })?;
        let token_matches = match (credentials.session_token(), params.token.as_deref()) {
            (None, None) => true,
            (Some(expected), Some(given)) => constant_time_eq_str(expected, given),
            _ => false,
        };
        if !token_matches {
            return Err(VerifyError::SessionTokenMismatch);
        }
        Ok(Checked {
            method: request.method,
            path,
            query,
            headers: request.headers,
            default_port: request.default_port,
            access_key_id: access_key_id.to_string(),
            region: region.to_string(),
            credentials,
            amz_date,
            signed_at,
            expires_at,
            signed_headers,
            signature,
        })
    }
}

/// A request whose structure and scope have been checked.
struct Checked<'r> {
    method: &'r str,
    path: &'r str,
    query: &'r str,
    headers: &'r [(&'r str, &'r str)],
    default_port: &'static str,
    access_key_id: String,
    region: String,
    credentials: Credentials,
    amz_date: AmzDate,
    signed_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    signed_headers: Vec<String>,
    signature: [u8; 32],
}

impl Checked<'_> {
    /// The canonical request and its SHA-256.
    fn canonical<S>(&self, verifier: &Verifier<S>) -> Result<(String, [u8; 32]), VerifyError> {
        // The received headers that were signed, in the order received.
        for name in &self.signed_headers {
            if !self
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                return Err(VerifyError::SignedHeaderMissing { name: name.clone() });
            }
        }
        let signed = self
            .headers
            .iter()
            .filter(|(n, _)| {
                self.signed_headers
                    .iter()
                    .any(|s| n.eq_ignore_ascii_case(s))
            })
            .map(|(n, v)| (*n, *v));
        let mut host = None;
        let headers =
            canonical_request::merge_headers(signed.collect::<Vec<_>>().into_iter(), |value| {
                match &mut host {
                    None => host = Some(value),
                    Some(first) => {
                        first.push(',');
                        first.push_str(&value);
                    }
                }
                Ok(())
            })?;
        let mut host = host.ok_or(VerifyError::SignedHeaderMissing {
            name: "host".into(),
        })?;
        // As the signer writes it: lower case, no default port.
        host.make_ascii_lowercase();
        if let Some(stripped) = host.strip_suffix(self.default_port) {
            let len = stripped.len();
            host.truncate(len);
        }
        let unsigned_token =
            verifier.settings.session_token == SessionTokenMode::AppendAfterSigning;
        let query = canonical_query_of_wire(self.query, |name| {
            name == "X-Amz-Signature" || (unsigned_token && name == "X-Amz-Security-Token")
        });
        let canonical = CanonicalRequest {
            method: self.method,
            path: self.path,
            path_encoding: verifier.settings.path_encoding,
            normalize_path: verifier.settings.normalize_path,
            query: &query,
            host: &host,
            headers: &headers,
            payload_hash: verifier.settings.payload_hash.as_str(),
        };
        let text = canonical.to_text();
        let hash: [u8; 32] = Sha256::digest(text.as_bytes()).into();
        Ok((text, hash))
    }
}

/// Collects the auth parameters, refusing duplicates and bad escapes.
fn parse_auth_params(query: &str) -> Result<AuthParams<'_>, VerifyError> {
    let mut params = AuthParams {
        algorithm: None,
        credential: None,
        date: None,
        expires: None,
        signed_headers: None,
        signature: None,
        token: None,
    };
    let mut count = 0;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        count += 1;
        if count > MAX_QUERY_PARAMS {
            return Err(VerifyError::TooLarge {
                what: "the number of query parameters",
                limit: MAX_QUERY_PARAMS,
            });
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (slot, static_name) = match name {
            "X-Amz-Algorithm" => (&mut params.algorithm, "X-Amz-Algorithm"),
            "X-Amz-Credential" => (&mut params.credential, "X-Amz-Credential"),
            "X-Amz-Date" => (&mut params.date, "X-Amz-Date"),
            "X-Amz-Expires" => (&mut params.expires, "X-Amz-Expires"),
            "X-Amz-SignedHeaders" => (&mut params.signed_headers, "X-Amz-SignedHeaders"),
            "X-Amz-Signature" => (&mut params.signature, "X-Amz-Signature"),
            "X-Amz-Security-Token" => (&mut params.token, "X-Amz-Security-Token"),
            _ => continue,
        };
        if slot.is_some() {
            return Err(VerifyError::DuplicateParameter { name: static_name });
        }
        *slot = Some(decode_text(value)?);
    }
    Ok(params)
}

/// Percent-decodes an auth parameter value, which must be UTF-8 text.
fn decode_text(value: &str) -> Result<Cow<'_, str>, VerifyError> {
    if !value.bytes().any(|b| b == b'%' || b == b'+') {
        return Ok(Cow::Borrowed(value));
    }
    let bytes: Vec<u8> = Decoded::new(value, true).collect();
    String::from_utf8(bytes)
        .map(Cow::Owned)
        .map_err(|_| VerifyError::Malformed {
            reason: "an auth parameter is not UTF-8 text",
        })
}

fn parse_amz_date(text: &str) -> Result<OffsetDateTime, VerifyError> {
    let bad = VerifyError::Malformed {
        reason: "X-Amz-Date is not YYYYMMDD'T'HHMMSS'Z'",
    };
    let b = text.as_bytes();
    if b.len() != 16
        || b[8] != b'T'
        || b[15] != b'Z'
        || !b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
    {
        return Err(bad);
    }
    let n = |range: core::ops::Range<usize>| {
        b[range]
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    };
    let month = time::Month::try_from(n(4..6) as u8).map_err(|_| bad.clone())?;
    let date = time::Date::from_calendar_date(n(0..4) as i32, month, n(6..8) as u8)
        .map_err(|_| bad.clone())?;
    let clock =
        time::Time::from_hms(n(9..11) as u8, n(11..13) as u8, n(13..15) as u8).map_err(|_| bad)?;
    Ok(time::PrimitiveDateTime::new(date, clock).assume_utc())
}

fn parse_expires(text: &str) -> Result<u32, VerifyError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::Malformed {
            reason: "X-Amz-Expires is not a number of seconds",
        });
    }
    let seconds = text.bytes().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    });
    if !(1..=604_800).contains(&seconds) {
        return Err(VerifyError::ExpiresOutOfRange { seconds });
    }
    Ok(seconds as u32)
}

fn parse_signature(text: &str) -> Result<[u8; 32], VerifyError> {
    let mut out = [0u8; 32];
    if text.len() != 64 || hex::decode_to_slice(text, &mut out).is_err() {
        return Err(VerifyError::Malformed {
            reason: "X-Amz-Signature is not 64 hexadecimal digits",
        });
    }
    Ok(out)
}

fn parse_signed_headers(text: &str) -> Result<Vec<String>, VerifyError> {
    let names: Vec<&str> = text.split(';').collect();
    let valid = names
        .iter()
        .all(|n| canonical_request::is_token(n) && !n.bytes().any(|b| b.is_ascii_uppercase()))
        && names.windows(2).all(|w| w[0] < w[1])
        && names.contains(&"host");
    if !valid {
        return Err(VerifyError::Malformed {
            reason: "X-Amz-SignedHeaders is not a sorted, `;`-separated list of lower-case header names including host",
        });
    }
    Ok(names.into_iter().map(String::from).collect())
}

/// Compares two MACs in time independent of where they differ.
fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    core::hint::black_box(difference) == 0
}

/// Compares two tokens in time independent of where they differ (their lengths may show).
fn constant_time_eq_str(a: &str, b: &str) -> bool {
    a.len() == b.len() && {
        let difference = a
            .bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y));
        core::hint::black_box(difference) == 0
    }
}
