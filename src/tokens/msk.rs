//! Amazon MSK IAM SASL (`OAUTHBEARER`) tokens.

use alloc::format;

use crate::base64;
use crate::error::Result;
use crate::sigv4::Timestamp;
use crate::sigv4::{
    Credentials, PresignRequest, Scheme, Target, UNRESERVED, check_aws_region, push_encoded,
};
use crate::tokens::{AuthToken, TOKEN_LIFETIME, later, presign};

/// The user agent an MSK token names, as the reference signers add theirs.
pub const MSK_USER_AGENT: &str = concat!("sigv4-presign/", env!("CARGO_PKG_VERSION"));

/// An Amazon MSK IAM SASL (`OAUTHBEARER`) token for the brokers of `region`: the unpadded
/// base64url of a presigned `kafka-cluster:Connect` URL, with the `User-Agent` parameter
/// added after signing as the reference signers do; valid 15 minutes.
pub fn msk_auth_token(
    credentials: &Credentials,
    region: &str,
    time: impl Timestamp,
) -> Result<AuthToken> {
    let time = time.to_offset_date_time()?;
    check_aws_region(region)?;
    let target = Target::new(Scheme::Https, format!("kafka.{region}.amazonaws.com"))?
        .with_query("Action=kafka-cluster%3AConnect");
    let request = PresignRequest::for_target("GET", target).expires_in(TOKEN_LIFETIME);
    let mut url = presign(credentials, region, "kafka-cluster", &request, time)?.into_url();
    // After signing: the reference signers do not sign it.
    url.push_str("&User-Agent=");
    push_encoded(&mut url, MSK_USER_AGENT.as_bytes(), UNRESERVED);
    Ok(AuthToken {
        token: base64::encode(url.as_bytes()),
        expires_at: later(time, TOKEN_LIFETIME)?,
    })
}
