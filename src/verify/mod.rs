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

mod check;
mod error;
mod parse;

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use time::OffsetDateTime;

use crate::error::Error;
use crate::sigv4::{
    Credentials, Settings, SigningKey, StringToSign, check_scope_part, constant_time_eq,
    credential_scope,
};
use check::{Checked, check_scope, credentials_for};
pub use error::VerifyError;
use parse::PresignedParams;
pub use parse::{
    MAX_HEADER_VALUE_LEN, MAX_HEADERS, MAX_QUERY_PARAMS, MAX_TARGET_LEN, ReceivedRequest,
};

/// The clock skew allowed by default for a signing time in the future.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(15 * 60);

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
    pub fn credential_scope(&self) -> String {
        credential_scope(&self.date, &self.region, &self.service)
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
        self.check_signature(&checked)?;
        self.check_clock(&checked.params, now)?;
        let params = checked.params;
        Ok(Verified {
            access_key_id: params.access_key_id,
            date: params.scope_date,
            region: params.region,
            service: self.service.clone(),
            signed_headers: params.signed_headers,
            signed_at: params.signed_at,
            expires_at: params.expires_at,
        })
    }

    /// The canonical request the verifier computes for `request`, to compare with the
    /// signer's when a signature does not match. It contains the session token, if any.
    pub fn canonical_request(&self, request: &ReceivedRequest<'_>) -> Result<String, VerifyError> {
        let checked = self.check(request)?;
        Ok(checked.canonical(&self.settings)?.0)
    }

    /// Parses and checks everything but the signature and the clock.
    fn check<'r>(&self, request: &ReceivedRequest<'r>) -> Result<Checked<'r>, VerifyError> {
        let (path, query) = request.check_and_split()?;
        let params = PresignedParams::parse(query)?;
        check_scope(&params, &self.regions, &self.service)?;
        let credentials = credentials_for(&self.store, &params)?;
        Ok(Checked {
            method: request.method,
            path,
            query,
            headers: request.headers,
            default_port: request.default_port,
            params,
            credentials,
        })
    }

    /// Recomputes the signature and compares it, in constant time, with the request's.
    fn check_signature(&self, checked: &Checked<'_>) -> Result<(), VerifyError> {
        let region = checked.params.region.as_str();
        let key = SigningKey::derive_for(
            &checked.credentials,
            checked.amz_date(),
            region,
            &self.service,
        )
        .prepare();
        let (_, hash) = checked.canonical(&self.settings)?;
        let mut mac = key.start();
        StringToSign {
            amz_date: checked.amz_date(),
            region,
            service: &self.service,
            canonical_request_hash: &hash,
        }
        .write(&mut |piece| mac.update(piece));
        if constant_time_eq(&key.finish(&mut mac), &checked.params.signature) {
            Ok(())
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
