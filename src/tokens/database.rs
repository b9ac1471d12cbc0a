//! Database passwords: Amazon RDS (and Aurora) IAM authentication, Aurora DSQL.

use alloc::format;
use core::time::Duration;

use time::OffsetDateTime;

use crate::error::Result;
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
    time: OffsetDateTime,
) -> Result<AuthToken> {
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
    time: OffsetDateTime,
) -> Result<AuthToken> {
    check_hostname(hostname)?;
    let action = match action {
        DsqlAction::DbConnect => "DbConnect",
        DsqlAction::DbConnectAdmin => "DbConnectAdmin",
    };
    let target = Target::new(Scheme::Https, hostname)?.with_query(format!("Action={action}"));
    let request = PresignRequest::for_target("GET", target).expires_in(expires_in);
    without_scheme(credentials, region, "dsql", &request, time)
}
