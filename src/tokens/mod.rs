//! AWS authentication tokens that are presigned URLs: RDS and Aurora DSQL database
//! passwords, EKS bearer tokens, ElastiCache and MemoryDB passwords, and MSK SASL tokens —
//! without the SDK.
//!
//! Every generator takes the credentials, the region, what the token is for, and the signing
//! time, and checks its inputs before signing.
//!
//! ```
//! use sigv4_presign::Credentials;
//! use sigv4_presign::tokens;
//! use time::macros::datetime;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
//! let password = tokens::rds_auth_token(
//!     &creds,
//!     "us-east-1",
//!     "prod.abc123.us-east-1.rds.amazonaws.com",
//!     5432,
//!     "app_user",
//!     datetime!(2024-05-01 12:00 UTC),
//! )?;
//! assert!(password.as_str().starts_with("prod.abc123.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=app_user&X-Amz-"));
//! # Ok::<(), sigv4_presign::Error>(())
//! ```
//!
//! # Recipes for other services
//!
//! Services whose presigned requests need nothing beyond the core [`Presigner`]:
//!
//! ```
//! use std::time::Duration;
//! use sigv4_presign::{Credentials, PresignRequest, Presigner, SessionTokenMode, Settings};
//! use time::macros::datetime;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "secret")?.with_session_token("token")?;
//! let now = datetime!(2024-05-01 12:00 UTC);
//!
//! // STS GetCallerIdentity: the basis of many "prove your IAM identity" schemes (the
//! // receiver replays the URL against STS and learns who signed it).
//! let sts = Presigner::new(creds.clone(), "eu-west-1", "sts")?;
//! let identity = sts.presign(
//!     &PresignRequest::get("https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15")
//!         .expires_in(Duration::from_secs(60)),
//!     now,
//! )?;
//!
//! // API Gateway with IAM authorisation (`execute-api`).
//! let api = Presigner::new(creds.clone(), "eu-west-1", "execute-api")?;
//! let call = api.presign(&PresignRequest::get("https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/items?limit=10"), now)?;
//!
//! // AWS IoT Core, MQTT over WebSockets: the session token is appended after signing, and
//! // the scheme becomes wss.
//! let iot = Presigner::new(creds.clone(), "eu-west-1", "iotdevicegateway")?
//!     .with_settings(Settings::aws_service().with_session_token(SessionTokenMode::AppendAfterSigning));
//! let mqtt = iot.presign(&PresignRequest::get("https://a3example-ats.iot.eu-west-1.amazonaws.com/mqtt"), now)?;
//! let mqtt_url = mqtt.url().replacen("https://", "wss://", 1);
//!
//! // Amazon Transcribe streaming over WebSocket (port 8443, at most 300 seconds).
//! let transcribe = Presigner::new(creds, "eu-west-1", "transcribe")?;
//! let stream = transcribe.presign(
//!     &PresignRequest::get("https://transcribestreaming.eu-west-1.amazonaws.com:8443/stream-transcription-websocket")
//!         .query("language-code", "en-US")
//!         .query("media-encoding", "pcm")
//!         .query("sample-rate", "16000")
//!         .expires_in(Duration::from_secs(300)),
//!     now,
//! )?;
//! let stream_url = stream.url().replacen("https://", "wss://", 1);
//! # let _ = (identity, call, mqtt_url, stream_url);
//! # Ok::<(), sigv4_presign::Error>(())
//! ```
//!
//! [`Presigner`]: crate::Presigner

mod database;
mod eks;
mod elasticache;
mod msk;

use alloc::string::String;
use core::time::Duration;

use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::sigv4::{
    Credentials, PresignRequest, PresignedUrl, Presigner, SessionTokenMode, Settings,
};

pub use database::{DsqlAction, dsql_auth_token, rds_auth_token, region_from_hostname};
pub use eks::{
    EKS_TOKEN_LIFETIME, ExecCredential, ExecCredentialVersion, eks_exec_credential, eks_token,
    eks_token_for_cluster_id,
};
pub use elasticache::{elasticache_auth_token, memorydb_auth_token};
pub use msk::{MSK_USER_AGENT, msk_auth_token};

/// A token and the instant it stops being accepted.
///
/// `Debug` does not show the token (it is a password).
#[derive(Clone, PartialEq, Eq)]
pub struct AuthToken {
    token: String,
    expires_at: OffsetDateTime,
}

impl AuthToken {
    /// The token.
    pub fn as_str(&self) -> &str {
        &self.token
    }

    /// The token, by value.
    pub fn into_string(self) -> String {
        self.token
    }

    /// When the service stops accepting it.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }
}

impl core::fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuthToken")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The lifetime of RDS, ElastiCache, MemoryDB and MSK tokens, and DSQL's default.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(900);

/// Presigns `request` for `service` with the session token listed last, where the AWS CLI
/// (botocore) lists it, so that tokens are byte for byte the CLI's. (The parameters, and
/// so the signature, are the same in either order.)
fn presign(
    credentials: &Credentials,
    region: &str,
    service: &str,
    request: &PresignRequest<'_>,
    time: OffsetDateTime,
) -> Result<PresignedUrl> {
    let settings =
        Settings::for_service(service).with_session_token(SessionTokenMode::SignedListedLast);
    Presigner::new(credentials.clone(), region, service)?
        .with_settings(settings)
        .presign(request, time)
}

/// A token that is the presigned URL without its scheme (the database passwords).
fn without_scheme(
    credentials: &Credentials,
    region: &str,
    service: &str,
    request: &PresignRequest<'_>,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    let signed = presign(credentials, region, service, request, time)?;
    Ok(AuthToken {
        token: String::from(signed.url_without_scheme()),
        expires_at: signed.expires_at(),
    })
}

pub(crate) fn later(time: OffsetDateTime, by: Duration) -> Result<OffsetDateTime> {
    time.checked_add(time::Duration::seconds(by.as_secs() as i64))
        .ok_or(Error::TimeOutOfRange)
}

pub(crate) fn invalid(input: &'static str, reason: &'static str) -> Error {
    Error::InvalidTokenInput { input, reason }
}

pub(crate) fn check_hostname(hostname: &str) -> Result<()> {
    let valid = (1..=253).contains(&hostname.len())
        && hostname.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if valid {
        Ok(())
    } else {
        Err(invalid(
            "hostname",
            "give the endpoint's DNS name alone (letters, digits, `-` and `.`), without scheme, port or path",
        ))
    }
}

pub(crate) fn check_cache_name(input: &'static str, name: &str) -> Result<()> {
    let valid = (1..=40).contains(&name.len())
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.ends_with('-')
        && !name.contains("--");
    if valid {
        Ok(())
    } else {
        Err(invalid(
            input,
            "the name is 1 to 40 lower-case letters, digits and single hyphens, starting with a letter",
        ))
    }
}

pub(crate) fn check_text(input: &'static str, text: &str, max: usize) -> Result<()> {
    if text.is_empty() {
        return Err(invalid(input, "it is empty"));
    }
    if text.len() > max || text.chars().any(char::is_control) {
        return Err(invalid(
            input,
            "it is too long or holds a control character",
        ));
    }
    Ok(())
}
