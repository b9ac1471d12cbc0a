//! Database passwords: Amazon RDS (and Aurora) IAM authentication, Aurora DSQL.

use alloc::format;
use core::time::Duration;

use crate::error::Result;
use crate::sigv4::Timestamp;
use crate::sigv4::{Credentials, PresignRequest, Scheme, Target};
use crate::tokens::{
    AuthToken, TOKEN_LIFETIME, check_hostname, check_text, invalid, without_scheme,
};

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
    time: impl Timestamp,
) -> Result<AuthToken> {
    let time = time.to_offset_date_time()?;
    check_hostname(hostname)?;
    if port == 0 {
        return Err(invalid("port", "a port is a number from 1 to 65535"));
    }
    check_text("username", username, 128)?;
    let target =
        Target::new(Scheme::Https, format!("{hostname}:{port}"))?.with_query("Action=connect");
    let request = PresignRequest::for_target("GET", target)
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
    time: impl Timestamp,
) -> Result<AuthToken> {
    let time = time.to_offset_date_time()?;
    check_hostname(hostname)?;
    let action = match action {
        DsqlAction::DbConnect => "DbConnect",
        DsqlAction::DbConnectAdmin => "DbConnectAdmin",
    };
    let target = Target::new(Scheme::Https, hostname)?.with_query(format!("Action={action}"));
    let request = PresignRequest::for_target("GET", target).expires_in(expires_in);
    without_scheme(credentials, region, "dsql", &request, time)
}

/// The region an AWS database endpoint names, if it names one:
///
/// | endpoint | region |
/// |---|---|
/// | `ID.XYZ.REGION.rds.amazonaws.com` (RDS, Aurora, RDS Proxy) | `REGION` |
/// | `ID.XYZ.REGION.rds.amazonaws.com.cn`, `ID.XYZ.rds.REGION.amazonaws.com.cn` (China) | `REGION` |
/// | `ID.XYZ.rds.REGION.amazonaws.com` (GovCloud) | `REGION` |
/// | `ID.dsql.REGION.on.aws` (Aurora DSQL) | `REGION` |
///
/// A token must be signed for that region, so the CLI takes it from there when no region
/// is given, and refuses a `--region` that contradicts it.
///
/// ```
/// use sigv4_presign::tokens::region_from_hostname;
///
/// assert_eq!(region_from_hostname("db.abc123.eu-west-1.rds.amazonaws.com"), Some("eu-west-1"));
/// assert_eq!(region_from_hostname("abcdef.dsql.us-east-1.on.aws"), Some("us-east-1"));
/// assert_eq!(region_from_hostname("db.internal.example.com"), None);
/// ```
pub fn region_from_hostname(hostname: &str) -> Option<&str> {
    let labels: alloc::vec::Vec<&str> = hostname.trim_end_matches('.').split('.').collect();
    let lower = |s: &str| s.to_ascii_lowercase();
    let ends_with = |suffix: &[&str]| {
        labels.len() > suffix.len()
            && labels[labels.len() - suffix.len()..]
                .iter()
                .zip(suffix)
                .all(|(a, b)| lower(a) == *b)
    };
    let n = labels.len();
    let label = |i: usize| lower(labels[i]);
    let candidate = if ends_with(&["on", "aws"]) {
        // ID.dsql.REGION.on.aws
        (n >= 5 && label(n - 4) == "dsql").then(|| labels[n - 3])
    } else {
        // What precedes amazonaws.com(.cn): REGION.rds or rds.REGION.
        let domain = if ends_with(&["amazonaws", "com", "cn"]) {
            3
        } else if ends_with(&["amazonaws", "com"]) {
            2
        } else {
            return None;
        };
        let last = n.checked_sub(domain + 1)?;
        let before = last.checked_sub(1)?;
        if label(last) == "rds" {
            Some(labels[before])
        } else if label(before) == "rds" {
            Some(labels[last])
        } else {
            None
        }
    };
    candidate.filter(|region| looks_like_region(region))
}

/// `us-east-1`, `cn-north-1`, `us-gov-west-1`: lower-case words and a number, joined by `-`.
fn looks_like_region(text: &str) -> bool {
    let parts: alloc::vec::Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_of_database_hostnames() {
        for (host, region) in [
            ("db.abc123.eu-west-1.rds.amazonaws.com", Some("eu-west-1")),
            (
                "my-proxy.proxy-abc.us-east-2.rds.amazonaws.com",
                Some("us-east-2"),
            ),
            ("db.abc.CN-NORTH-1.rds.amazonaws.com.cn", None),
            ("db.abc.cn-north-1.rds.amazonaws.com.cn", Some("cn-north-1")),
            (
                "db.abc.rds.cn-northwest-1.amazonaws.com.cn",
                Some("cn-northwest-1"),
            ),
            (
                "db.abc.rds.us-gov-west-1.amazonaws.com",
                Some("us-gov-west-1"),
            ),
            ("abcdefghijklmnop.dsql.us-east-1.on.aws", Some("us-east-1")),
            ("x.DSQL.ap-southeast-2.ON.AWS", Some("ap-southeast-2")),
            ("db.abc123.eu-west-1.rds.amazonaws.com.", Some("eu-west-1")),
            ("rds.amazonaws.com", None),
            ("db.example.com", None),
            ("db.abc.notaregion.rds.amazonaws.com", None),
            ("s3.eu-west-1.amazonaws.com", None),
            ("dsql.us-east-1.on.aws", None),
            ("", None),
        ] {
            assert_eq!(region_from_hostname(host), region, "{host}");
        }
    }
}
