//! `presign`: print an AWS SigV4 presigned URL.
//!
//! stdout carries the URL alone, so `curl "$(presign …)"` works; everything else (the
//! headers the client must send, notes, `--explain`) goes to stderr. Bad input prints one
//! line on stderr and exits with status 2.

use std::process::ExitCode;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use sigv4_presign::s3::{Addressing, Bucket, Endpoint};
use sigv4_presign::time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};
use sigv4_presign::verify::{ReceivedRequest, Verifier};
use sigv4_presign::{Credentials, PresignRequest, Presigner};

/// AWS's documented example credentials, used when the environment holds none.
const EXAMPLE_ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// Print an AWS Signature Version 4 presigned URL, offline.
///
/// Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN;
/// with none set, AWS's documented example credentials are used (and a note says so).
#[derive(Debug, Parser)]
#[command(
    name = "presign",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    sign: SignArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a presigned URL against the credentials in the environment: exit 0 and a
    /// summary when it is valid, exit 1 and the reason when it is not.
    Verify(VerifyArgs),
    /// Print an AWS auth token that is a presigned URL (RDS, Aurora DSQL, EKS, ElastiCache,
    /// MemoryDB, MSK).
    Token(TokenArgs),
    /// Print an S3 POST policy (a browser form that uploads straight to S3) as
    /// {"url": …, "fields": {…}}, or as a curl command.
    Post(PostArgs),
}

#[derive(Debug, Args)]
struct PostArgs {
    /// s3://BUCKET/KEY for one key, or s3://BUCKET/PREFIX/ (ending in /) for any key under
    /// the prefix (the form's key is PREFIX/${filename}).
    target: String,

    /// The largest upload accepted, in bytes.
    #[arg(long, value_name = "BYTES")]
    max_size: Option<u64>,

    /// The exact Content-Type required.
    #[arg(long, conflicts_with = "content_type_prefix")]
    content_type: Option<String>,

    /// The start of the Content-Type required (e.g. image/).
    #[arg(long, value_name = "PREFIX")]
    content_type_prefix: Option<String>,

    /// Another form field, sent with exactly this value. Repeatable.
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,

    /// Seconds the form stays usable, 1 to 604800.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    expires: u64,

    /// The endpoint of an S3-compatible store [default: AWS].
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,

    /// Put the bucket in the path, not the host name.
    #[arg(long)]
    path_style: bool,

    /// The region [default: $AWS_REGION, then $AWS_DEFAULT_REGION, then us-east-1].
    #[arg(long)]
    region: Option<String>,

    /// The signing time, 20130524T000000Z or 2013-05-24T00:00:00Z (UTC) [default: now].
    #[arg(long)]
    time: Option<String>,

    /// Print a curl command that uploads FILE with the form, instead of JSON.
    #[arg(long, value_name = "FILE")]
    curl: Option<String>,
}

#[derive(Debug, Args)]
struct TokenArgs {
    #[command(subcommand)]
    kind: TokenKind,

    /// The region [default: $AWS_REGION, then $AWS_DEFAULT_REGION, then us-east-1].
    #[arg(long, global = true)]
    region: Option<String>,

    /// The signing time, 20130524T000000Z or 2013-05-24T00:00:00Z (UTC) [default: now].
    #[arg(long, global = true)]
    time: Option<String>,
}

#[derive(Debug, Subcommand)]
enum TokenKind {
    /// An RDS IAM database password (as `aws rds generate-db-auth-token`).
    Rds {
        /// The database endpoint.
        #[arg(long)]
        hostname: String,
        /// The database port.
        #[arg(long)]
        port: u16,
        /// The database user.
        #[arg(long)]
        username: String,
    },
    /// An Aurora DSQL password (as `aws dsql generate-db-connect-auth-token`).
    Dsql {
        /// The cluster endpoint.
        #[arg(long)]
        hostname: String,
        /// Seconds the token stays valid.
        #[arg(long, default_value_t = 900)]
        expires_in: u64,
        /// A token for the admin role (as `generate-db-connect-admin-auth-token`).
        #[arg(long)]
        admin: bool,
    },
    /// An EKS ExecCredential with a bearer token (as `aws eks get-token`).
    Eks {
        /// The cluster's name.
        #[arg(long)]
        cluster_name: String,
    },
    /// An ElastiCache IAM password.
    Elasticache {
        /// The replication group id, or the serverless cache name.
        #[arg(long, alias = "replication-group-id")]
        cache_name: String,
        /// The ElastiCache user id.
        #[arg(long)]
        user_id: String,
        /// The cache is serverless.
        #[arg(long)]
        serverless: bool,
    },
    /// A MemoryDB IAM password.
    Memorydb {
        /// The cluster's name.
        #[arg(long)]
        cluster_name: String,
        /// The MemoryDB user id.
        #[arg(long)]
        user_id: String,
    },
    /// An MSK IAM SASL (OAUTHBEARER) token.
    Msk,
}

#[derive(Debug, Args)]
struct SignArgs {
    /// What to presign: an absolute http(s) URL, percent-encoded as it will be sent (a
    /// space in a key is `%20`), or `s3://BUCKET/KEY` with the key raw (`s3://b/my file.pdf`).
    #[arg(value_name = "TARGET", required = true)]
    target: Option<String>,

    /// For s3:// targets: the endpoint of an S3-compatible store, e.g. http://127.0.0.1:9000
    /// [default: AWS].
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,

    /// For s3:// targets: put the bucket in the path, not the host name.
    #[arg(long)]
    path_style: bool,

    /// The HTTP method the URL is for.
    #[arg(short = 'X', long, default_value = "GET")]
    method: String,

    /// Seconds until the URL expires, 1 to 604800 (7 days).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    expires: u64,

    /// The region of the endpoint [default: $AWS_REGION, then $AWS_DEFAULT_REGION, then us-east-1].
    #[arg(long)]
    region: Option<String>,

    /// The service's signing name; `s3` (and s3-outposts, s3express) selects S3's rules, any
    /// other the generic AWS rules.
    #[arg(long, default_value = "s3")]
    service: String,

    /// A query parameter to add, raw (not yet percent-encoded). Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,

    /// A header to sign, which the client must then send. Repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,

    /// The signing time, 20130524T000000Z or 2013-05-24T00:00:00Z (UTC) [default: now].
    #[arg(long)]
    time: Option<String>,

    /// Print the canonical request and the string to sign to stderr.
    #[arg(long)]
    explain: bool,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// The presigned URL, as the client will send it.
    url: String,

    /// The method the request arrives with.
    #[arg(short = 'X', long, default_value = "GET")]
    method: String,

    /// The region to accept [default: $AWS_REGION, then $AWS_DEFAULT_REGION, then us-east-1].
    #[arg(long)]
    region: Option<String>,

    /// The service to accept; `s3` (and s3-outposts, s3express) uses S3's rules.
    #[arg(long, default_value = "s3")]
    service: String,

    /// A header that arrives with the request (`Host` defaults to the URL's). Repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,

    /// The verifier's clock, 20130524T000000Z or 2013-05-24T00:00:00Z (UTC) [default: now].
    #[arg(long)]
    time: Option<String>,

    /// On failure, print the canonical request the verifier computed to stderr.
    #[arg(long)]
    explain: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            // One line, as for every other bad input.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or_default();
            let message = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("presign: error: {message} (see presign --help)");
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Some(Command::Verify(args)) => verify(args),
        Some(Command::Token(args)) => token(args).map(|()| ExitCode::SUCCESS),
        Some(Command::Post(args)) => post(args).map(|()| ExitCode::SUCCESS),
        None => sign(&cli.sign).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("presign: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn region_or_default(region: &Option<String>) -> String {
    region
        .clone()
        .or_else(|| non_empty_env("AWS_REGION"))
        .or_else(|| non_empty_env("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| "us-east-1".to_owned())
}

fn split_header(header: &str) -> Result<(&str, &str), String> {
    let (name, value) = header
        .split_once(':')
        .ok_or_else(|| format!("header {header:?} has no colon: write it as 'Name: value'"))?;
    Ok((name.trim(), value))
}

/// `presign verify`: exit 0 when valid, 1 when not, 2 on bad input.
fn verify(args: &VerifyArgs) -> Result<ExitCode, String> {
    let credentials = credentials_from_env()?;
    let region = region_or_default(&args.region);
    let now = time_or_now(&args.time)?;
    let (scheme, rest) = args
        .url
        .split_once("://")
        .ok_or("the URL is not absolute: it must start with https:// or http://")?;
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(split);
    let target = if target.starts_with('?') {
        format!("/{target}")
    } else {
        target.to_owned()
    };
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for header in &args.headers {
        headers.push(split_header(header)?);
    }
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        headers.push(("host", authority));
    }
    let key_id = credentials.access_key_id().to_owned();
    let verifier = Verifier::new(
        move |id: &str| (id == key_id).then(|| credentials.clone()),
        &region,
        &args.service,
    )
    .map_err(|e| e.to_string())?;
    let mut request = ReceivedRequest::new(&args.method, &target, &headers);
    if scheme.eq_ignore_ascii_case("http") {
        request = request.over_http();
    }
    match verifier.verify(&request, now) {
        Ok(ok) => {
            let left = ok.expires_at() - now;
            println!(
                "valid: signed by {} for {}, headers {}, expires {} (in {} s)",
                ok.access_key_id(),
                ok.scope(),
                ok.signed_headers().join(";"),
                utc(ok.expires_at()),
                left.whole_seconds()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            eprintln!("presign: invalid: {reason}");
            if args.explain {
                match verifier.canonical_request(&request) {
                    Ok(creq) => eprintln!(
                        "--- canonical request (as the verifier computed it; token hidden)\n{}\n---",
                        hide_token(&creq)
                    ),
                    Err(e) => eprintln!("presign: no canonical request: {e}"),
                }
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// `presign post …`: the form as JSON (or a curl command) on stdout.
fn post(args: &PostArgs) -> Result<(), String> {
    let credentials = credentials_from_env()?;
    let region = region_or_default(&args.region);
    let time = time_or_now(&args.time)?;
    let rest = args
        .target
        .strip_prefix("s3://")
        .ok_or("the target of a POST policy is s3://BUCKET/KEY or s3://BUCKET/PREFIX/")?;
    let (bucket_name, key) = rest.split_once('/').unwrap_or((rest, ""));
    let mut bucket = Bucket::new(bucket_name, &region).map_err(|e| e.to_string())?;
    if let Some(endpoint) = &args.endpoint {
        bucket = bucket.with_endpoint(Endpoint::custom(endpoint).map_err(|e| e.to_string())?);
    }
    if args.path_style {
        bucket = bucket.with_addressing(Addressing::Path);
    }
    let mut policy = if key.is_empty() || key.ends_with('/') {
        bucket.post_policy_with_prefix(key)
    } else {
        bucket.post_policy(key)
    };
    policy = policy.expires_in(Duration::from_secs(args.expires));
    if let Some(max) = args.max_size {
        policy = policy.content_length_range(0, max);
    }
    if let Some(content_type) = &args.content_type {
        policy = policy.content_type(content_type.as_str());
    }
    if let Some(prefix) = &args.content_type_prefix {
        policy = policy.content_type_starts_with(prefix.as_str());
    }
    for field in &args.fields {
        let (name, value) = field.split_once('=').unwrap_or((field, ""));
        policy = policy.field(name, value);
    }
    let presigner = Presigner::new(credentials, &region, "s3").map_err(|e| e.to_string())?;
    let post = policy
        .presign(&presigner, time)
        .map_err(|e| e.to_string())?;
    match &args.curl {
        Some(file) => println!("{}", post.curl_command(file)),
        None => println!("{}", post.to_json()),
    }
    Ok(())
}

/// `presign token …`: the token on stdout.
fn token(args: &TokenArgs) -> Result<(), String> {
    use sigv4_presign::tokens::{self, DsqlAction};
    let credentials = credentials_from_env()?;
    let region = region_or_default(&args.region);
    let time = time_or_now(&args.time)?;
    let creds = &credentials;
    let token = match &args.kind {
        TokenKind::Rds {
            hostname,
            port,
            username,
        } => tokens::rds_auth_token(creds, &region, hostname, *port, username, time),
        TokenKind::Dsql {
            hostname,
            expires_in,
            admin,
        } => {
            let action = if *admin {
                DsqlAction::DbConnectAdmin
            } else {
                DsqlAction::DbConnect
            };
            tokens::dsql_auth_token(
                creds,
                &region,
                hostname,
                action,
                Duration::from_secs(*expires_in),
                time,
            )
        }
        TokenKind::Eks { cluster_name } => {
            let token =
                tokens::eks_token(creds, &region, cluster_name, time).map_err(|e| e.to_string())?;
            println!("{}", tokens::eks_exec_credential(&token));
            return Ok(());
        }
        TokenKind::Elasticache {
            cache_name,
            user_id,
            serverless,
        } => tokens::elasticache_auth_token(creds, &region, cache_name, user_id, *serverless, time),
        TokenKind::Memorydb {
            cluster_name,
            user_id,
        } => tokens::memorydb_auth_token(creds, &region, cluster_name, user_id, time),
        TokenKind::Msk => tokens::msk_auth_token(creds, &region, time),
    };
    println!("{}", token.map_err(|e| e.to_string())?.as_str());
    Ok(())
}

fn sign(cli: &SignArgs) -> Result<(), String> {
    let credentials = credentials_from_env()?;
    let region = region_or_default(&cli.region);
    let time = time_or_now(&cli.time)?;
    let presigner =
        Presigner::new(credentials, &region, &cli.service).map_err(|e| e.to_string())?;
    let url = target_url(cli, &region)?;

    let mut request =
        PresignRequest::new(cli.method.as_str(), url).expires_in(Duration::from_secs(cli.expires));
    for param in &cli.params {
        let (name, value) = param.split_once('=').unwrap_or((param, ""));
        request = request.query(name, value);
    }
    for header in &cli.headers {
        let (name, value) = split_header(header)?;
        request = request.header(name, value);
    }

    let signed = presigner
        .presign(&request, time)
        .map_err(|e| e.to_string())?;
    if cli.explain {
        eprintln!("--- canonical request\n{}", signed.canonical_request());
        eprintln!("--- string to sign\n{}\n---", signed.string_to_sign());
    }
    if signed.headers().len() > 0 {
        eprintln!("presign: the client must send these headers with the URL:");
        for (name, value) in signed.headers() {
            eprintln!("{name}: {value}");
        }
    }
    if signed.method() != "GET" {
        eprintln!("presign: the URL is signed for {} only", signed.method());
    }
    println!("{}", signed.url());
    Ok(())
}

/// The URL to sign: the target itself, or the URL of `s3://BUCKET/KEY`.
fn target_url(cli: &SignArgs, region: &str) -> Result<String, String> {
    let target = cli.target.as_deref().unwrap_or_default();
    let Some(rest) = target.strip_prefix("s3://") else {
        if cli.endpoint.is_some() || cli.path_style {
            return Err("--endpoint and --path-style go with s3://BUCKET/KEY targets; a URL names its endpoint itself".into());
        }
        return Ok(target.to_owned());
    };
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    let mut bucket = Bucket::new(bucket, region).map_err(|e| e.to_string())?;
    if let Some(endpoint) = &cli.endpoint {
        bucket = bucket.with_endpoint(Endpoint::custom(endpoint).map_err(|e| e.to_string())?);
    }
    if cli.path_style {
        bucket = bucket.with_addressing(Addressing::Path);
    }
    let url = if key.is_empty() {
        bucket.bucket_url()
    } else {
        bucket.object_url(key)
    };
    url.map_err(|e| e.to_string())
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn credentials_from_env() -> Result<Credentials, String> {
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

/// `text` with the value of `X-Amz-Security-Token` replaced.
fn hide_token(text: &str) -> String {
    let Some(start) = text.find("X-Amz-Security-Token=") else {
        return text.to_owned();
    };
    let value = start + "X-Amz-Security-Token=".len();
    let end = text[value..]
        .find(['&', '\n'])
        .map_or(text.len(), |i| value + i);
    format!("{}<redacted>{}", &text[..value], &text[end..])
}

/// `--time`, or the system clock's now.
fn time_or_now(time: &Option<String>) -> Result<OffsetDateTime, String> {
    match time {
        Some(text) => parse_time(text),
        None => Ok(OffsetDateTime::now_utc()),
    }
}

/// `2013-05-24T00:00:00Z`.
fn utc(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses `20130524T000000Z` or `2013-05-24T00:00:00Z`.
fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    let bad = || {
        format!(
            "invalid --time {text:?}: write it as 20130524T000000Z or 2013-05-24T00:00:00Z (UTC)"
        )
    };
    if !text.is_ascii() {
        return Err(bad());
    }
    let compact: String = match text.len() {
        16 => text.to_owned(),
        20 if text.as_bytes()[4] == b'-'
            && text.as_bytes()[7] == b'-'
            && text.as_bytes()[13] == b':'
            && text.as_bytes()[16] == b':' =>
        {
            text.chars().filter(|c| *c != '-' && *c != ':').collect()
        }
        _ => return Err(bad()),
    };
    let b = compact.as_bytes();
    if b.len() != 16 || b[8] != b'T' || !(b[15] == b'Z' || b[15] == b'z') {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| -> Result<u32, String> {
        let digits = &compact[range];
        if digits.bytes().all(|d| d.is_ascii_digit()) {
            digits.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let year = number(0..4)? as i32;
    let month = Month::try_from(number(4..6)? as u8).map_err(|_| bad())?;
    let date = Date::from_calendar_date(year, month, number(6..8)? as u8).map_err(|_| bad())?;
    let clock = Time::from_hms(
        number(9..11)? as u8,
        number(11..13)? as u8,
        number(13..15)? as u8,
    )
    .map_err(|_| bad())?;
    Ok(PrimitiveDateTime::new(date, clock).assume_utc())
}
