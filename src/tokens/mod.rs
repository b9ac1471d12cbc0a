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

use alloc::format;
use alloc::string::String;
use core::time::Duration;

use time::OffsetDateTime;

use crate::amz_date::Utc;
use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::presign::Presigner;
use crate::request::PresignRequest;

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

/// How long an EKS token is accepted by the cluster (the signed URL itself says 60 s; the
/// authenticator accepts it for 15 minutes, and `aws eks get-token` reports 14).
pub const EKS_TOKEN_LIFETIME: Duration = Duration::from_secs(14 * 60);

/// What an Aurora DSQL token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DsqlAction {
    /// `DbConnect`: connect as a custom database role.
    DbConnect,
    /// `DbConnectAdmin`: connect as the `admin` role.
    DbConnectAdmin,
}

/// An Amazon RDS (or Aurora) IAM database authentication token: the password for
/// `username` at `hostname:port`, valid 15 minutes — the token `aws rds
/// generate-db-auth-token` prints.
pub fn rds_auth_token(
    credentials: &Credentials,
    region: &str,
    hostname: &str,
    port: u16,
    username: &str,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    check_hostname(hostname)?;
    if port == 0 {
        return Err(invalid("port", "a port is a number from 1 to 65535"));
    }
    check_text("username", username, 128)?;
    let url = format!("https://{hostname}:{port}/?Action=connect");
    let request = PresignRequest::get(url)
        .query("DBUser", username)
        .expires_in(TOKEN_LIFETIME);
    without_scheme(credentials, region, "rds-db", &request, time)
}

/// An Aurora DSQL authentication token for the cluster endpoint `hostname` — the token
/// `aws dsql generate-db-connect-auth-token` (or `…-admin-auth-token`) prints.
/// `expires_in` is 1 s to 7 days; the AWS CLI's default is [`TOKEN_LIFETIME`].
pub fn dsql_auth_token(
    credentials: &Credentials,
    region: &str,
    hostname: &str,
    action: DsqlAction,
    expires_in: Duration,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    check_hostname(hostname)?;
    let action = match action {
        DsqlAction::DbConnect => "DbConnect",
        DsqlAction::DbConnectAdmin => "DbConnectAdmin",
    };
    let url = format!("https://{hostname}/?Action={action}");
    let request = PresignRequest::get(url).expires_in(expires_in);
    without_scheme(credentials, region, "dsql", &request, time)
}

/// An Amazon EKS bearer token for `cluster_name`: `k8s-aws-v1.` and the unpadded base64url
/// of a presigned STS `GetCallerIdentity` URL (regional endpoint) that signs the
/// `x-k8s-aws-id` header — the token in what `aws eks get-token` prints (see
/// [`eks_exec_credential`]).
pub fn eks_token(
    credentials: &Credentials,
    region: &str,
    cluster_name: &str,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    let valid = (1..=100).contains(&cluster_name.len())
        && cluster_name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && cluster_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(invalid(
            "cluster name",
            "an EKS cluster name is 1 to 100 letters, digits, `-` and `_`, starting with a letter or digit",
        ));
    }
    let presigner = Presigner::new(credentials.clone(), region, "sts")?;
    // The regional STS endpoint, in the region's partition.
    let domain = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    let url = format!("https://sts.{region}.{domain}/?Action=GetCallerIdentity&Version=2011-06-15");
    let request = PresignRequest::get(url)
        .header("x-k8s-aws-id", cluster_name)
        .expires_in(Duration::from_secs(60));
    let signed = presigner.presign(&request, time)?;
    let url = in_cli_order(signed.into_url());
    Ok(AuthToken {
        token: format!("k8s-aws-v1.{}", crate::base64::encode(url.as_bytes())),
        expires_at: later(time, EKS_TOKEN_LIFETIME)?,
    })
}

/// The Kubernetes `ExecCredential` (`client.authentication.k8s.io/v1beta1`) carrying an
/// EKS token, as `aws eks get-token` prints it: a kubeconfig `exec` plugin prints this.
pub fn eks_exec_credential(token: &AuthToken) -> String {
    format!(
        "{{\"kind\": \"ExecCredential\", \"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \
         \"spec\": {{}}, \"status\": {{\"expirationTimestamp\": \"{}\", \"token\": \"{}\"}}}}",
        Utc(token.expires_at),
        token.token
    )
}

/// An Amazon ElastiCache (Valkey or Redis OSS) IAM authentication token: the password for
/// `user_id` on the replication group (or, with `serverless`, the serverless cache)
/// `cache_name`, valid 15 minutes.
pub fn elasticache_auth_token(
    credentials: &Credentials,
    region: &str,
    cache_name: &str,
    user_id: &str,
    serverless: bool,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    check_cache_name("cache name", cache_name)?;
    check_text("user id", user_id, 128)?;
    let mut request = PresignRequest::get(format!("http://{cache_name}/?Action=connect"))
        .query("User", user_id)
        .expires_in(TOKEN_LIFETIME);
    if serverless {
        request = request.query("ResourceType", "ServerlessCache");
    }
    without_scheme(credentials, region, "elasticache", &request, time)
}

/// An Amazon MemoryDB IAM authentication token: the password for `user_id` on the cluster
/// `cluster_name`, valid 15 minutes.
pub fn memorydb_auth_token(
    credentials: &Credentials,
    region: &str,
    cluster_name: &str,
    user_id: &str,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    check_cache_name("cluster name", cluster_name)?;
    check_text("user id", user_id, 128)?;
    let request = PresignRequest::get(format!("http://{cluster_name}/?Action=connect"))
        .query("User", user_id)
        .expires_in(TOKEN_LIFETIME);
    without_scheme(credentials, region, "memorydb", &request, time)
}

/// The user agent an MSK token names, as the reference signers add theirs.
pub const MSK_USER_AGENT: &str = concat!("sigv4-presign/", env!("CARGO_PKG_VERSION"));

/// An Amazon MSK IAM SASL (`OAUTHBEARER`) token for the brokers of `region`: the unpadded
/// base64url of a presigned `kafka-cluster:Connect` URL, with the `User-Agent` parameter
/// added after signing as the reference signers do; valid 15 minutes.
pub fn msk_auth_token(
    credentials: &Credentials,
    region: &str,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    let presigner = Presigner::new(credentials.clone(), region, "kafka-cluster")?;
    let url = format!("https://kafka.{region}.amazonaws.com/?Action=kafka-cluster%3AConnect");
    let signed = presigner.presign(&PresignRequest::get(url).expires_in(TOKEN_LIFETIME), time)?;
    let mut url = in_cli_order(signed.into_url());
    url.push_str("&User-Agent=");
    crate::encoding::push_encoded(
        &mut url,
        MSK_USER_AGENT.as_bytes(),
        crate::encoding::UNRESERVED,
    );
    Ok(AuthToken {
        token: crate::base64::encode(url.as_bytes()),
        expires_at: later(time, TOKEN_LIFETIME)?,
    })
}

/// Presigns `request` for `service` and returns the URL without its scheme.
fn without_scheme(
    credentials: &Credentials,
    region: &str,
    service: &str,
    request: &PresignRequest<'_>,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    let presigner = Presigner::new(credentials.clone(), region, service)?;
    let signed = presigner.presign(request, time)?;
    let expires_at = signed.expires_at();
    let url = in_cli_order(signed.into_url());
    let token = match url.split_once("://") {
        Some((_, rest)) => String::from(rest),
        None => url,
    };
    Ok(AuthToken { token, expires_at })
}

/// Puts `X-Amz-Security-Token` after `X-Amz-SignedHeaders`, where the AWS CLI (botocore)
/// writes it, so that tokens are byte for byte the CLI's. The parameters, and so the
/// signature, are the same in either order.
fn in_cli_order(url: String) -> String {
    let Some(start) = url.find("&X-Amz-Security-Token=") else {
        return url;
    };
    let token_end = url[start + 1..]
        .find('&')
        .map_or(url.len(), |i| start + 1 + i);
    let token = &url[start..token_end];
    let Some(headers_at) = url[token_end..].find("&X-Amz-SignedHeaders=") else {
        return url;
    };
    let headers_start = token_end + headers_at;
    let headers_end = url[headers_start + 1..]
        .find('&')
        .map_or(url.len(), |i| headers_start + 1 + i);
    let mut out = String::with_capacity(url.len());
    out.push_str(&url[..start]);
    out.push_str(&url[token_end..headers_end]);
    out.push_str(token);
    out.push_str(&url[headers_end..]);
    out
}

fn later(time: OffsetDateTime, by: Duration) -> Result<OffsetDateTime> {
    time.checked_add(time::Duration::seconds(by.as_secs() as i64))
        .ok_or(Error::TimeOutOfRange)
}

fn invalid(input: &'static str, reason: &'static str) -> Error {
    Error::InvalidTokenInput { input, reason }
}

fn check_hostname(hostname: &str) -> Result<()> {
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

fn check_cache_name(input: &'static str, name: &str) -> Result<()> {
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

fn check_text(input: &'static str, text: &str, max: usize) -> Result<()> {
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
