//! What the commands share: the flags for region and time, the S3 endpoint flags, the
//! credentials, `s3://` targets, and the parsers of flag values.

use clap::Args;
use sigv4_presign::Credentials;
use sigv4_presign::s3::{Addressing, Bucket, Endpoint};
use sigv4_presign::sigv4::parse_timestamp;
use sigv4_presign::time::OffsetDateTime;

/// AWS's documented example credentials, used when the environment holds none.
pub const EXAMPLE_ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// The flags every command takes: where and when it signs.
#[derive(Debug, Args)]
pub struct Scope {
    /// The region; with neither the flag nor AWS_REGION, $AWS_DEFAULT_REGION, then
    /// us-east-1.
    #[arg(long, env = "AWS_REGION", global = true, hide_env_values = true)]
    pub region: Option<String>,

    /// The signing time (or the verifier's clock), 20130524T000000Z or
    /// 2013-05-24T00:00:00Z (UTC) [default: now].
    #[arg(long, global = true, value_parser = parse_time)]
    pub time: Option<OffsetDateTime>,
}

impl Scope {
    /// The region: the flag, AWS_REGION, AWS_DEFAULT_REGION, then us-east-1.
    pub fn region(&self) -> String {
        self.region
            .clone()
            .filter(|r| !r.is_empty())
            .or_else(|| non_empty_env("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".to_owned())
    }

    /// The time: the flag, or the system clock's now.
    pub fn time(&self) -> OffsetDateTime {
        self.time.unwrap_or_else(OffsetDateTime::now_utc)
    }
}

/// Where an `s3://` target lives, when it is not AWS.
#[derive(Debug, Args)]
pub struct S3Location {
    /// For s3:// targets: the endpoint of an S3-compatible store, e.g.
    /// http://127.0.0.1:9000 [default: AWS].
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,

    /// For s3:// targets: put the bucket in the path, not the host name.
    #[arg(long)]
    pub path_style: bool,
}

impl S3Location {
    /// Whether any flag is set.
    pub fn is_set(&self) -> bool {
        self.endpoint.is_some() || self.path_style
    }

    /// The bucket and key of `s3://BUCKET/KEY` (the key may be empty), or `None` when
    /// `target` is not an `s3://` target.
    pub fn bucket<'t>(
        &self,
        target: &'t str,
        region: &str,
    ) -> Option<Result<(Bucket, &'t str), String>> {
        let rest = target.strip_prefix("s3://")?;
        let (name, key) = rest.split_once('/').unwrap_or((rest, ""));
        Some(self.configure(name, region).map(|bucket| (bucket, key)))
    }

    fn configure(&self, name: &str, region: &str) -> Result<Bucket, String> {
        let mut bucket = Bucket::new(name, region).map_err(|e| e.to_string())?;
        if let Some(endpoint) = &self.endpoint {
            bucket = bucket.with_endpoint(Endpoint::custom(endpoint).map_err(|e| e.to_string())?);
        }
        if self.path_style {
            bucket = bucket.with_addressing(Addressing::Path);
        }
        Ok(bucket)
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The credentials of AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or
/// AWS's example credentials (with a note) when none is set.
pub fn credentials_from_env() -> Result<Credentials, String> {
    let key = non_empty_env("AWS_ACCESS_KEY_ID");
    let secret = non_empty_env("AWS_SECRET_ACCESS_KEY");
    let token = non_empty_env("AWS_SESSION_TOKEN");
    let credentials = match (key, secret) {
        (Some(key), Some(secret)) => Credentials::new(key, secret),
        (None, None) => {
            if token.is_some() {
                return Err("AWS_SESSION_TOKEN is set without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set all three".into());
            }
            eprintln!(
                "presign: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: signing with \
                 AWS's documented example credentials ({EXAMPLE_ACCESS_KEY_ID}); the URL will \
                 not work against a real account"
            );
            return Credentials::new(EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY)
                .map_err(|e| e.to_string());
        }
        (Some(_), None) => {
            return Err(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both".into(),
            );
        }
        (None, Some(_)) => {
            return Err(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both".into(),
            );
        }
    };
    let credentials = credentials.map_err(|e| e.to_string())?;
    match token {
        Some(token) => credentials
            .with_session_token(token)
            .map_err(|e| e.to_string()),
        None => Ok(credentials),
    }
}

/// `--time`.
fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    parse_timestamp(text).map_err(|e| e.to_string())
}

/// `NAME=VALUE` (the value may be empty, the `=` may not be missing).
pub fn name_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) => Ok((name.to_owned(), value.to_owned())),
        None => Err(format!(
            "{text:?} has no `=`: write NAME=VALUE (NAME= for an empty value)"
        )),
    }
}

/// `Name: value`.
pub fn header(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((name, value)) => Ok((name.trim().to_owned(), value.to_owned())),
        None => Err(format!(
            "header {text:?} has no colon: write it as 'Name: value'"
        )),
    }
}
