//! `presign TARGET`: a presigned URL on stdout.

use std::time::Duration;

use clap::Args;
use sigv4_presign::s3::S3_EXPRESS_SERVICE;
use sigv4_presign::sigv4::redact_session_tokens;
use sigv4_presign::sigv4a::{self, RegionSet};
use sigv4_presign::{PresignRequest, Presigner, Settings, TokenParameter};

use crate::common::{Context, S3Location, header, name_value};

#[derive(Debug, Args)]
pub struct SignArgs {
    /// What to presign: an absolute http(s) URL, percent-encoded as it will be sent (a
    /// space in a key is `%20`), or `s3://BUCKET/KEY` with the key raw (`s3://b/my file.pdf`).
    #[arg(value_name = "TARGET", required = true)]
    target: Option<String>,

    #[command(flatten)]
    location: S3Location,

    /// The HTTP method the URL is for.
    #[arg(short = 'X', long, default_value = "GET")]
    method: String,

    /// Seconds until the URL expires, 1 to 604800 (7 days); never after the credentials
    /// expire (see --clamp-to-credentials).
    #[arg(
        long,
        visible_alias = "expires-in",
        value_name = "SECONDS",
        default_value_t = 3600
    )]
    expires: u64,

    /// When the credentials expire before the URL would, end the URL with them instead of
    /// refusing to sign.
    #[arg(long)]
    clamp_to_credentials: bool,

    /// The service's signing name; `s3` (and s3-outposts, s3express) selects S3's rules, any
    /// other the generic AWS rules [default: s3express for a directory bucket
    /// (s3://NAME--ZONE--x-s3/KEY), else s3].
    #[arg(long)]
    service: Option<String>,

    /// The credentials are S3 Express One Zone session credentials (from CreateSession):
    /// send their token as X-Amz-S3session-Token. They last five minutes; with
    /// AWS_CREDENTIAL_EXPIRATION set, a URL that would outlive them is refused (or clamped
    /// with --clamp-to-credentials).
    #[arg(long)]
    s3express_session: bool,

    /// A query parameter to add, raw (not yet percent-encoded). Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = name_value)]
    params: Vec<(String, String)>,

    /// A header to sign, which the client must then send. Repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = header)]
    headers: Vec<(String, String)>,

    /// Print the canonical request and the string to sign to stderr (the session token
    /// hidden).
    #[arg(long)]
    explain: bool,

    /// Sign with SigV4a (AWS4-ECDSA-P256-SHA256), valid in every region of --region-set;
    /// implied by a Multi-Region Access Point target
    /// (s3://arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap/KEY) and by --region-set.
    #[arg(long)]
    sigv4a: bool,

    /// SigV4a's region set: `*` (every region), or regions joined by `,`
    /// (us-east-1,us-west-2) [default: `*` for a Multi-Region Access Point, else the region].
    #[arg(long, value_name = "REGIONS")]
    region_set: Option<String>,
}

pub fn run(args: &SignArgs, context: &Context) -> Result<(), String> {
    let region = context.region();
    let target = args.target.as_deref().unwrap_or_default();
    let bucket = args.location.bucket(target, context).transpose()?;
    let credentials = context.credentials()?;
    let mrap = bucket
        .as_ref()
        .is_some_and(|(bucket, _)| bucket.is_multi_region_access_point());
    let directory = bucket
        .as_ref()
        .is_some_and(|(bucket, _)| bucket.is_directory_bucket());
    let service = match &args.service {
        Some(service) => service.as_str(),
        None if directory => S3_EXPRESS_SERVICE,
        None => "s3",
    };
    let mut settings = Settings::for_service(service);
    if args.s3express_session && !directory {
        return Err("--s3express-session goes with a directory bucket target, \
                    s3://NAME--ZONE--x-s3/KEY"
            .into());
    }
    if args.s3express_session && credentials.session_token().is_none() {
        return Err(
            "--s3express-session needs session credentials: set AWS_SESSION_TOKEN \
                    (with the access key and secret CreateSession returned)"
                .into(),
        );
    }
    if args.s3express_session {
        settings = settings.with_session_token_parameter(TokenParameter::S3Session);
    }
    let sigv4a = if args.sigv4a || args.region_set.is_some() || mrap {
        let set = match &args.region_set {
            Some(set) => set.parse::<RegionSet>(),
            None if mrap => Ok(RegionSet::any()),
            None => region.parse::<RegionSet>(),
        }
        .map_err(|e| e.to_string())?;
        let presigner = sigv4a::Presigner::new(credentials.clone(), set, service)
            .map_err(|e| e.to_string())?
            .with_settings(settings);
        if let Some((bucket, _)) = &bucket {
            bucket
                .check_sigv4a_presigner(&presigner)
                .map_err(|e| e.to_string())?;
        }
        Some(presigner)
    } else {
        None
    };
    let presigner = Presigner::new(credentials, &region, service)
        .map_err(|e| e.to_string())?
        .with_settings(settings);
    let mut request = match bucket {
        Some((bucket, key)) => {
            if directory && sigv4a.is_none() {
                bucket
                    .check_presigner(&presigner)
                    .map_err(|e| e.to_string())?;
            }
            let key = (!key.is_empty()).then_some(key);
            let target = bucket.target(key).map_err(|e| e.to_string())?;
            PresignRequest::for_target(args.method.as_str(), target)
        }
        None if args.location.is_set() => {
            return Err("--endpoint and --path-style go with s3://BUCKET/KEY targets; a URL names its endpoint itself".into());
        }
        None => PresignRequest::new(args.method.as_str(), target),
    };
    request = request.expires_in(Duration::from_secs(args.expires));
    if args.clamp_to_credentials {
        request = request.clamp_to_credentials();
    }
    for (name, value) in &args.params {
        request = request.query(name.as_str(), value.as_str());
    }
    for (name, value) in &args.headers {
        request = request.header(name.as_str(), value.as_str());
    }

    let signed = match &sigv4a {
        Some(sigv4a) => sigv4a.presign(&request, context.time()),
        None => presigner.presign(&request, context.time()),
    }
    .map_err(|e| e.to_string())?;
    if args.explain {
        eprintln!(
            "--- canonical request\n{}",
            redact_session_tokens(&signed.canonical_request())
        );
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
