//! ElastiCache (Valkey or Redis OSS) and MemoryDB IAM passwords.

use crate::error::Result;
use crate::sigv4::Timestamp;
use crate::sigv4::{Credentials, PresignRequest, Scheme, Target};
use crate::tokens::{AuthToken, TOKEN_LIFETIME, check_cache_name, check_text, without_scheme};

/// An Amazon ElastiCache (Valkey or Redis OSS) IAM authentication token: the password for
/// `user_id` on the replication group (or, with `serverless`, the serverless cache)
/// `cache_name`, valid 15 minutes.
pub fn elasticache_auth_token(
    credentials: &Credentials,
    region: &str,
    cache_name: &str,
    user_id: &str,
    serverless: bool,
    time: impl Timestamp,
) -> Result<AuthToken> {
    let time = time.to_offset_date_time()?;
    check_cache_name("cache name", cache_name)?;
    check_text("user id", user_id, 128)?;
    let target = Target::new(Scheme::Http, cache_name)?.with_query("Action=connect");
    let mut request = PresignRequest::for_target("GET", target)
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
    time: impl Timestamp,
) -> Result<AuthToken> {
    let time = time.to_offset_date_time()?;
    check_cache_name("cluster name", cluster_name)?;
    check_text("user id", user_id, 128)?;
    let target = Target::new(Scheme::Http, cluster_name)?.with_query("Action=connect");
    let request = PresignRequest::for_target("GET", target)
        .query("User", user_id)
        .expires_in(TOKEN_LIFETIME);
    without_scheme(credentials, region, "memorydb", &request, time)
}
