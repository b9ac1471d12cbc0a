//! `presign post s3://BUCKET/KEY …`: an S3 POST policy as JSON (or a curl command).

use std::time::Duration;

use clap::Args;
use sigv4_presign::Presigner;

use crate::common::{Context, S3Location, name_value};

#[derive(Debug, Args)]
pub struct PostArgs {
    /// s3://BUCKET/KEY for one key, or s3://BUCKET/PREFIX/ (ending in /) for any key under
    /// the prefix (the form's key is PREFIX/${filename}).
    target: String,

    #[command(flatten)]
    location: S3Location,

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
    #[arg(long = "field", value_name = "NAME=VALUE", value_parser = name_value)]
    fields: Vec<(String, String)>,

    /// Seconds the form stays usable, 1 to 604800.
    #[arg(
        long,
        visible_alias = "expires-in",
        value_name = "SECONDS",
        default_value_t = 3600
    )]
    expires: u64,

    /// When the credentials expire before the form would, end the form with them instead
    /// of refusing to sign.
    #[arg(long)]
    clamp_to_credentials: bool,

    /// Print a curl command that uploads FILE with the form, instead of JSON.
    #[arg(long, value_name = "FILE")]
    curl: Option<String>,
}

pub fn run(args: &PostArgs, context: &Context) -> Result<(), String> {
    let region = context.region();
    let (bucket, key) = args
        .location
        .bucket(&args.target, context)
        .ok_or("the target of a POST policy is s3://BUCKET/KEY or s3://BUCKET/PREFIX/")??;
    let mut policy = if key.is_empty() || key.ends_with('/') {
        bucket.post_policy_with_prefix(key)
    } else {
        bucket.post_policy(key)
    };
    policy = policy.expires_in(Duration::from_secs(args.expires));
    if args.clamp_to_credentials {
        policy = policy.clamp_to_credentials();
    }
    if let Some(max) = args.max_size {
        policy = policy.content_length_range(0, max);
    }
    if let Some(content_type) = &args.content_type {
        policy = policy.content_type(content_type.as_str());
    }
    if let Some(prefix) = &args.content_type_prefix {
        policy = policy.content_type_starts_with(prefix.as_str());
    }
    for (name, value) in &args.fields {
        policy = policy.field(name.as_str(), value.as_str());
    }
    let presigner =
        Presigner::new(context.credentials()?, &region, "s3").map_err(|e| e.to_string())?;
    let post = policy
        .presign(&presigner, context.time())
        .map_err(|e| e.to_string())?;
    match &args.curl {
        Some(file) => println!("{}", post.curl_command(file)),
        None => println!("{}", post.to_json()),
    }
    Ok(())
}
