//! `presign cloudfront --url URL --key-pair-id ID --private-key FILE …`: a CloudFront
//! signed URL (or signed cookies) on stdout, with `aws cloudfront sign`'s flags.

use clap::Args;
use sigv4_presign::cloudfront::{HashAlgorithm, Policy, PrivateKey, Signer};
use sigv4_presign::sigv4::parse_timestamp;
use sigv4_presign::time::OffsetDateTime;

use crate::common::Context;

#[derive(Debug, Args)]
pub struct CloudFrontArgs {
    /// The URL to sign: absolute http(s), percent-encoded as it will be sent, without a
    /// fragment or CloudFront's parameters (with --cookies: the URL or pattern they grant).
    #[arg(long)]
    url: String,

    /// The ID of the CloudFront public key (in a trusted key group), e.g. K2JCJMDEHXQW5F.
    #[arg(long, value_name = "ID")]
    key_pair_id: String,

    /// The private key (PKCS#1, SEC1 or PKCS#8 PEM; RSA-2048 or P-256): `file://PATH` as
    /// for the AWS CLI, a plain path, or the PEM text itself.
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    private_key: String,

    /// When the URL stops working: 2026-01-01, 2026-01-01T12:00:00 (UTC), with an offset
    /// (2026-01-01T12:00:00+02:00), or Unix seconds.
    #[arg(long, value_name = "TIME", value_parser = parse_cloudfront_time, required_unless_present = "expires")]
    date_less_than: Option<OffsetDateTime>,

    /// Instead of --date-less-than: seconds from now (or from --time).
    #[arg(long, value_name = "SECONDS", conflicts_with = "date_less_than")]
    expires: Option<u64>,

    /// When the URL starts working (same forms as --date-less-than); makes the policy
    /// custom.
    #[arg(long, value_name = "TIME", value_parser = parse_cloudfront_time)]
    date_greater_than: Option<OffsetDateTime>,

    /// The client addresses allowed: 192.0.2.7 (a /32) or a CIDR block; makes the policy
    /// custom.
    #[arg(long, value_name = "CIDR")]
    ip_address: Option<String>,

    /// The policy's resource when it is not --url (a wildcard such as
    /// `https://d111111abcdef8.cloudfront.net/images/*`); makes the policy custom.
    #[arg(long, value_name = "RESOURCE")]
    policy_resource: Option<String>,

    /// SHA1 (CloudFront's default) or SHA256 (adds Hash-Algorithm=SHA256).
    #[arg(long, value_name = "SHA1|SHA256", default_value = "SHA1")]
    hash_algorithm: String,

    /// Print signed cookies (NAME=VALUE, one per line) instead of a URL.
    #[arg(long)]
    cookies: bool,
}

pub fn run(args: &CloudFrontArgs, context: &Context) -> Result<(), String> {
    let pem = if args.private_key.trim_start().starts_with("-----BEGIN") {
        // The PEM text itself, as the AWS CLI also takes it.
        args.private_key.clone()
    } else {
        let path = args
            .private_key
            .strip_prefix("file://")
            .unwrap_or(&args.private_key);
        std::fs::read_to_string(path).map_err(|e| {
            // A path is shown only when it is one plain line (never key material).
            let shown: String = path.chars().take(200).collect();
            if shown.contains(['\n', '\r']) || shown.contains("PRIVATE KEY") {
                format!("cannot read the private key file: {e}")
            } else {
                format!("cannot read the private key file {shown}: {e}")
            }
        })?
    };
    let key = PrivateKey::from_pem(&pem).map_err(|e| e.to_string())?;
    let hash: HashAlgorithm = args.hash_algorithm.parse().map_err(|_| {
        format!(
            "--hash-algorithm {:?}: give SHA1 or SHA256",
            args.hash_algorithm
        )
    })?;
    let signer = Signer::new(args.key_pair_id.as_str(), key)
        .map_err(|e| e.to_string())?
        .with_hash_algorithm(hash);
    let until = match (args.date_less_than, args.expires) {
        (Some(date), _) => date,
        (None, Some(seconds)) => i64::try_from(seconds)
            .ok()
            .and_then(|s| context.time().checked_add(time_seconds(s)))
            .ok_or("--expires is out of range")?,
        (None, None) => return Err("give --date-less-than TIME or --expires SECONDS".into()),
    };
    let mut policy = Policy::new(until).map_err(|e| e.to_string())?;
    if let Some(start) = args.date_greater_than {
        policy = policy
            .with_date_greater_than(start)
            .map_err(|e| e.to_string())?;
    }
    if let Some(range) = &args.ip_address {
        policy = policy.with_ip_range(range).map_err(|e| e.to_string())?;
    }
    if let Some(resource) = &args.policy_resource {
        policy = policy.with_resource(resource.as_str());
    }
    if args.cookies {
        let cookies = signer
            .sign_cookies(&args.url, &policy)
            .map_err(|e| e.to_string())?;
        for (name, value) in cookies.iter() {
            println!("{name}={value}");
        }
    } else {
        let url = signer
            .sign_url(&args.url, &policy)
            .map_err(|e| e.to_string())?;
        println!("{url}");
    }
    Ok(())
}

fn time_seconds(seconds: i64) -> sigv4_presign::time::Duration {
    sigv4_presign::time::Duration::seconds(seconds)
}

/// `aws cloudfront sign`'s time forms: Unix seconds, a date (midnight UTC), or a date and
/// time, UTC unless it carries an offset.
fn parse_cloudfront_time(text: &str) -> Result<OffsetDateTime, String> {
    let bad = || {
        format!(
            "{text:?} is not a time: write 2026-01-01, 2026-01-01T12:00:00 (UTC), \
             2026-01-01T12:00:00+02:00 or Unix seconds"
        )
    };
    if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = text.parse().map_err(|_| bad())?;
        return OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| bad());
    }
    // Epoch seconds with a fraction: the fraction is dropped, as the AWS CLI drops it.
    if let Some((whole, fraction)) = text.split_once('.')
        && !whole.is_empty()
        && whole.len() <= 12
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
    {
        let seconds: i64 = whole.parse().map_err(|_| bad())?;
        return OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| bad());
    }
    // A date is midnight UTC; a date and time (`T` or a space between) without an offset
    // is UTC.
    let text = text.replacen(' ', "T", 1);
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        let time = text.get(11..).unwrap_or_default();
        let has_offset = time.ends_with(['Z', 'z']) || time.contains(['+', '-']);
        if has_offset { text } else { format!("{text}Z") }
    };
    parse_timestamp(&full).map_err(|_| bad())
}
