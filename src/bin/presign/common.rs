//! What the commands share: the flags for profile, region, time and credentials, the S3
//! location flags, `s3://` targets, and the parsers of flag values. Settings are found as
//! the AWS CLI finds them (`sigv4_presign::credentials`).

use clap::{Args, ValueEnum};
use sigv4_presign::credentials::{AwsConfig, ConfigError, Env};
use sigv4_presign::s3::{Addressing, Bucket, Endpoint};
use sigv4_presign::sigv4::parse_timestamp;
use sigv4_presign::time::OffsetDateTime;
use sigv4_presign::{Credentials, Error};

/// AWS's documented example credentials, for `--example-credentials`.
pub const EXAMPLE_ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// The flags every command takes: whose credentials, where and when.
#[derive(Debug, Args)]
pub struct Scope {
    /// The profile of ~/.aws/config and ~/.aws/credentials to use [env: AWS_PROFILE]
    /// [default: default].
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// The region; without it: $AWS_REGION, $AWS_DEFAULT_REGION, the profile's `region`,
    /// then us-east-1 (a token's database hostname names its region).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// The signing time (or the verifier's clock): 20130524T000000Z, or RFC 3339 such as
    /// 2013-05-24T00:00:00Z [default: now].
    #[arg(long, global = true, value_parser = parse_time)]
    pub time: Option<OffsetDateTime>,

    /// Sign with AWS's documented example keys (AKIAIOSFODNN7EXAMPLE), which work against
    /// no account: for trying the tool and matching AWS's documented examples.
    #[arg(long, global = true)]
    pub example_credentials: bool,
}

/// The settings of one run: the flags over the environment and the profile.
pub struct Context {
    config: AwsConfig,
    region_flag: Option<String>,
    time: Option<OffsetDateTime>,
    example_credentials: bool,
}

impl Context {
    /// Reads the profile the flags and the environment choose.
    pub fn new(scope: &Scope) -> Result<Self, String> {
        let env = Env::from_process();
        let config = match &scope.profile {
            // --profile: that profile's credentials come before the environment's, as in
            // the AWS CLI.
            Some(profile) => AwsConfig::load_profile(env, profile),
            None => AwsConfig::load(env),
        }
        .map_err(|e| e.to_string())?;
        Ok(Self {
            config,
            region_flag: scope.region.clone().filter(|r| !r.is_empty()),
            time: scope.time,
            example_credentials: scope.example_credentials,
        })
    }

    /// The region given by the user: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`.
    pub fn explicit_region(&self) -> Option<&str> {
        let env = self.config.env();
        self.region_flag
            .as_deref()
            .or_else(|| env.get("AWS_REGION"))
            .or_else(|| env.get("AWS_DEFAULT_REGION"))
    }

    /// The region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`,
    /// then us-east-1 (as `aws s3 presign`).
    pub fn region(&self) -> String {
        self.explicit_region()
            .or_else(|| self.config.region())
            .unwrap_or("us-east-1")
            .to_owned()
    }

    /// The region of a token for `hostname`: the one the hostname names, which `--region`
    /// must not contradict (it comes before the environment's and the profile's region,
    /// which are defaults); else [`Context::region`].
    pub fn region_for_host(&self, hostname: &str) -> Result<String, String> {
        let named = sigv4_presign::tokens::region_from_hostname(hostname);
        match (named, self.region_flag.as_deref()) {
            (Some(named), Some(given)) if named != given => Err(format!(
                "the hostname {hostname} is in {named} but the region given is {given}: a \
                 token must be signed for the endpoint's region (drop --region, or fix it)"
            )),
            (Some(named), _) => Ok(named.to_owned()),
            (None, _) => Ok(self.region()),
        }
    }

    /// The time: `--time`, or the system clock's now.
    pub fn time(&self) -> OffsetDateTime {
        self.time.unwrap_or_else(OffsetDateTime::now_utc)
    }

    /// The settings read from the environment and the profile.
    pub fn config(&self) -> &AwsConfig {
        &self.config
    }

    /// The credentials: AWS's example keys with `--example-credentials`, else the
    /// environment, the profile's keys, its `credential_process`; none is an error that
    /// says where it looked.
    pub fn credentials(&self) -> Result<Credentials, String> {
        if self.example_credentials {
            eprintln!(
                "presign: signing with AWS's documented example credentials \
                 ({EXAMPLE_ACCESS_KEY_ID}); the result works against no real account"
            );
            return Credentials::new(EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY)
                .map_err(|e| e.to_string());
        }
        match self.config.credentials() {
            Ok((credentials, _)) => Ok(credentials),
            Err(error @ ConfigError::NoCredentials { .. }) => Err(format!(
                "{error}; set them (`aws configure`, or the AWS_* variables), choose a \
                 profile with --profile, or try the tool with --example-credentials"
            )),
            Err(error) => Err(error.to_string()),
        }
    }
}

/// How an `s3://` target's bucket is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AddressingFlag {
    /// `https://s3.REGION.amazonaws.com/BUCKET/KEY` (or ENDPOINT/BUCKET/KEY).
    Path,
    /// `https://BUCKET.s3.REGION.amazonaws.com/KEY` (or BUCKET.ENDPOINT-HOST/KEY).
    Virtual,
    /// Virtual-hosted on AWS where the bucket name allows it, path-style on a custom
    /// endpoint.
    Auto,
}

/// Where an `s3://` target lives, when it is not AWS.
#[derive(Debug, Args)]
pub struct S3Location {
    /// For s3:// targets: the endpoint of an S3-compatible store, e.g.
    /// http://127.0.0.1:9000; without it: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, the
    /// profile's `services` section, its `endpoint_url`, then AWS (none of those with
    /// $AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true).
    #[arg(long, visible_alias = "endpoint-url", value_name = "URL")]
    pub endpoint: Option<String>,

    /// For s3:// targets: how the bucket is addressed; without it, the profile's
    /// `s3 = addressing_style`, then auto.
    #[arg(long, value_enum, value_name = "STYLE")]
    pub addressing: Option<AddressingFlag>,

    /// For s3:// targets: the same as --addressing path.
    #[arg(long, conflicts_with = "addressing")]
    pub path_style: bool,
}

impl S3Location {
    /// Whether any flag is set.
    pub fn is_set(&self) -> bool {
        self.endpoint.is_some() || self.addressing.is_some() || self.path_style
    }

    /// The bucket and key of `s3://BUCKET/KEY` (the key may be empty), or `None` when
    /// `target` is not an `s3://` target.
    pub fn bucket<'t>(
        &self,
        target: &'t str,
        context: &Context,
    ) -> Option<Result<(Bucket, &'t str), String>> {
        let rest = target.strip_prefix("s3://")?;
        // An ARN holds a `/` of its own: `arn:…:accesspoint/ALIAS`, then `/KEY`.
        let name_end = match rest.strip_prefix("arn:") {
            Some(arn) => arn
                .find('/')
                .and_then(|at| rest[4 + at + 1..].find('/').map(|end| 4 + at + 1 + end)),
            None => rest.find('/'),
        };
        let (name, key) = match name_end {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, ""),
        };
        Some(self.configure(name, context).map(|bucket| (bucket, key)))
    }

    fn configure(&self, name: &str, context: &Context) -> Result<Bucket, String> {
        if name.starts_with("arn:") || name.ends_with(".mrap") {
            // A Multi-Region Access Point: one global host, no endpoint or addressing.
            if self.is_set() {
                return Err(
                    "a Multi-Region Access Point is reached at its global host: drop \
                            --endpoint, --addressing and --path-style"
                        .into(),
                );
            }
            return Bucket::multi_region_access_point(name).map_err(|e| e.to_string());
        }
        let region = context.region();
        let config = context.config();
        let endpoint = self.endpoint.clone().or_else(|| config.endpoint_url("S3"));
        let addressing = if self.path_style {
            Some(Addressing::Path)
        } else {
            match self.addressing {
                Some(AddressingFlag::Path) => Some(Addressing::Path),
                Some(AddressingFlag::Virtual) => Some(Addressing::VirtualHosted),
                Some(AddressingFlag::Auto) => Some(Addressing::Auto),
                None => match config.s3_addressing_style().as_deref() {
                    Some("path") => Some(Addressing::Path),
                    Some("virtual") => Some(Addressing::VirtualHosted),
                    _ => None,
                },
            }
        };
        let mut bucket = match Bucket::new(name, &region) {
            Ok(bucket) => bucket,
            // Legacy us-east-1 names (upper case, `_`) still exist; they work path-style.
            // (Not a directory bucket's: those are new, and their rules hold.)
            Err(Error::InvalidBucketName { .. })
                if addressing != Some(Addressing::VirtualHosted) && !name.ends_with("--x-s3") =>
            {
                Bucket::new_unchecked(name, &region)
                    .map_err(|e| e.to_string())?
                    .with_addressing(Addressing::Path)
            }
            Err(error) => return Err(error.to_string()),
        };
        if let Some(endpoint) = &endpoint {
            bucket = bucket.with_endpoint(Endpoint::custom(endpoint).map_err(|e| e.to_string())?);
        }
        if let Some(addressing) = addressing {
            bucket = bucket.with_addressing(addressing);
        }
        Ok(bucket)
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
