//! Amazon EKS bearer tokens and the `ExecCredential` that carries them.

use alloc::format;
use alloc::string::String;
use core::time::Duration;

use time::OffsetDateTime;

use crate::base64;
use crate::error::Result;
use crate::sigv4::{Credentials, PresignRequest, Rfc3339, Scheme, Target};
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
    // The regional STS endpoint, in the region's partition.
    let domain = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    let target = Target::new(Scheme::Https, format!("sts.{region}.{domain}"))?
        .with_query("Action=GetCallerIdentity&Version=2011-06-15");
    let request = PresignRequest::for_target("GET", target)
        .header("x-k8s-aws-id", cluster_name)
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

/// The Kubernetes `ExecCredential` (`client.authentication.k8s.io/v1beta1`) carrying an
/// EKS token, as `aws eks get-token` prints it: a kubeconfig `exec` plugin prints this.
pub fn eks_exec_credential(token: &AuthToken) -> String {
    format!(
        "{{\"kind\": \"ExecCredential\", \"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \
         \"spec\": {{}}, \"status\": {{\"expirationTimestamp\": \"{}\", \"token\": \"{}\"}}}}",
        Rfc3339(token.expires_at),
        token.token
    )
}
