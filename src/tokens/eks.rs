//! Amazon EKS bearer tokens and the `ExecCredential` that carries them.

use alloc::format;
use alloc::string::String;
use core::time::Duration;

use time::OffsetDateTime;

use crate::base64;
use crate::error::Result;
use crate::json;
use crate::sigv4::Timestamp;
use crate::sigv4::{Credentials, PresignRequest, Rfc3339, Scheme, Target, check_aws_region};
use crate::tokens::{AuthToken, invalid, later, presign};

/// How long an EKS token is accepted by the cluster (the signed URL itself says 60 s; the
/// authenticator accepts it for 15 minutes, and `aws eks get-token` reports 14).
pub const EKS_TOKEN_LIFETIME: Duration = Duration::from_secs(14 * 60);

/// An Amazon EKS bearer token for `cluster_name`: `k8s-aws-v1.` and the unpadded base64url
/// of a presigned STS `GetCallerIdentity` URL (regional endpoint) that signs the
/// `x-k8s-aws-id` header — the token in what `aws eks get-token` prints (see
/// [`eks_exec_credential`]).
pub fn eks_token(
    credentials: &Credentials,
    region: &str,
    cluster_name: &str,
    time: impl Timestamp,
) -> Result<AuthToken> {
    let time = time.to_offset_date_time()?;
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
    sts_token(credentials, region, cluster_name, time)
}

/// An Amazon EKS bearer token for the cluster whose id is `cluster_id` (an EKS local
/// cluster on Outposts is named by its id, as `aws eks get-token --cluster-id` does).
pub fn eks_token_for_cluster_id(
    credentials: &Credentials,
    region: &str,
    cluster_id: &str,
    time: impl Timestamp,
) -> Result<AuthToken> {
    let time = time.to_offset_date_time()?;
    let valid = (1..=100).contains(&cluster_id.len())
        && cluster_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !valid {
        return Err(invalid(
            "cluster id",
            "an EKS cluster id is a UUID such as 0123abcd-4567-89ef-0123-456789abcdef",
        ));
    }
    sts_token(credentials, region, cluster_id, time)
}

/// The token for the cluster named `x_k8s_aws_id`.
fn sts_token(
    credentials: &Credentials,
    region: &str,
    x_k8s_aws_id: &str,
    time: OffsetDateTime,
) -> Result<AuthToken> {
    // The regional STS endpoint, in the region's partition.
    check_aws_region(region)?;
    let domain = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    let target = Target::new(Scheme::Https, format!("sts.{region}.{domain}"))?
        .with_query("Action=GetCallerIdentity&Version=2011-06-15");
    let request = PresignRequest::for_target("GET", target)
        .header("x-k8s-aws-id", x_k8s_aws_id)
        .expires_in(Duration::from_secs(60));
    let signed = presign(credentials, region, "sts", &request, time)?;
    Ok(AuthToken {
        token: format!("k8s-aws-v1.{}", base64::encode(signed.url().as_bytes())),
        // Accepted for 14 minutes, but never after the credentials that signed it expire.
        expires_at: match credentials.expiration() {
            Some(limit) => later(time, EKS_TOKEN_LIFETIME)?.min(limit),
            None => later(time, EKS_TOKEN_LIFETIME)?,
        },
    })
}

/// The version of the Kubernetes `ExecCredential` an exec plugin answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ExecCredentialVersion {
    /// `client.authentication.k8s.io/v1beta1`, what `aws eks get-token` answers unless
    /// kubectl asks for another.
    #[default]
    V1Beta1,
    /// `client.authentication.k8s.io/v1`.
    V1,
}

impl ExecCredentialVersion {
    /// `client.authentication.k8s.io/v1beta1` or `client.authentication.k8s.io/v1`.
    pub fn api_version(self) -> &'static str {
        match self {
            ExecCredentialVersion::V1Beta1 => "client.authentication.k8s.io/v1beta1",
            ExecCredentialVersion::V1 => "client.authentication.k8s.io/v1",
        }
    }

    /// The version kubectl asks for in `KUBERNETES_EXEC_INFO` (the JSON it passes an exec
    /// plugin, whose `apiVersion` names it); `None` when the text is not such JSON or names
    /// another version (`aws eks get-token` then answers with v1beta1).
    ///
    /// ```
    /// use sigv4_presign::tokens::ExecCredentialVersion;
    ///
    /// let info = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#;
    /// assert_eq!(ExecCredentialVersion::from_exec_info(info), Some(ExecCredentialVersion::V1));
    /// assert_eq!(ExecCredentialVersion::from_exec_info("{}"), None);
    /// ```
    pub fn from_exec_info(exec_info: &str) -> Option<Self> {
        let members = json::parse_object(exec_info.trim()).ok()?;
        match members.get("apiVersion")? {
            json::Value::String(v) if v == Self::V1.api_version() => Some(Self::V1),
            json::Value::String(v) if v == Self::V1Beta1.api_version() => Some(Self::V1Beta1),
            _ => None,
        }
    }
}

/// A Kubernetes `ExecCredential` carrying an EKS token, what a kubeconfig `exec` plugin
/// prints (as `aws eks get-token` does). With the `serde` feature it is `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct ExecCredential {
    token: AuthToken,
    version: ExecCredentialVersion,
}

impl ExecCredential {
    /// The credential of `version` carrying `token`.
    pub fn new(token: AuthToken, version: ExecCredentialVersion) -> Self {
        Self { token, version }
    }

    /// The token it carries.
    pub fn token(&self) -> &AuthToken {
        &self.token
    }

    /// Its version.
    pub fn version(&self) -> ExecCredentialVersion {
        self.version
    }

    /// The JSON `aws eks get-token` prints, byte for byte.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"kind\": \"ExecCredential\", \"apiVersion\": \"{}\", \"spec\": {{}}, \
             \"status\": {{\"expirationTimestamp\": \"{}\", \"token\": \"{}\"}}}}",
            self.version.api_version(),
            Rfc3339(self.token.expires_at()),
            self.token.as_str()
        )
    }
}

impl core::fmt::Debug for ExecCredential {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExecCredential")
            .field("token", &self.token)
            .field("version", &self.version)
            .finish()
    }
}

/// The Kubernetes `ExecCredential` of `version` carrying an EKS token, as `aws eks
/// get-token` prints it: a kubeconfig `exec` plugin prints this.
pub fn eks_exec_credential(token: &AuthToken, version: ExecCredentialVersion) -> String {
    ExecCredential::new(token.clone(), version).to_json()
}
