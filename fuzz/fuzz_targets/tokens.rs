//! Token generators check every input without panicking.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4_presign::tokens::{self, DsqlAction};
use sigv4_presign::{Credentials, PayloadHash};
use std::time::Duration;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    region: &'a str,
    hostname: &'a str,
    port: u16,
    name: &'a str,
    user: &'a str,
    expires: u64,
    serverless: bool,
    hex: &'a str,
    unix_time: i64,
    /// The signing time's UTC offset, in quarter hours.
    offset: i8,
}

fuzz_target!(|input: Input<'_>| {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap().with_session_token("t/+=").unwrap();
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(input.unix_time % 253_402_300_799) else { return };
    // Any offset: the signing time is an instant, whatever offset it is written in.
    let Ok(offset) = time::UtcOffset::from_whole_seconds(i32::from(input.offset % 100) * 900) else { return };
    let t = t.to_offset(offset);
    let _ = tokens::rds_auth_token(&creds, input.region, input.hostname, input.port, input.user, t);
    let _ = tokens::dsql_auth_token(&creds, input.region, input.hostname, DsqlAction::DbConnect, Duration::from_secs(input.expires), t);
    if let Ok(token) = tokens::eks_token(&creds, input.region, input.name, t) {
        let _ = tokens::eks_exec_credential(&token, tokens::ExecCredentialVersion::V1);
    }
    let _ = tokens::elasticache_auth_token(&creds, input.region, input.name, input.user, input.serverless, t);
    let _ = tokens::memorydb_auth_token(&creds, input.region, input.name, input.user, t);
    let _ = tokens::msk_auth_token(&creds, input.region, t);
    let _ = PayloadHash::sha256_hex(input.hex);
});
