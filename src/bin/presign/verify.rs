//! `presign verify URL`: exit 0 when the URL is valid, 1 when it is not, 2 on bad input.

use std::process::ExitCode;

use clap::Args;
use sigv4_presign::Settings;
use sigv4_presign::sigv4::{Rfc3339, redact_session_tokens};
use sigv4_presign::verify::{ReceivedRequest, Verifier};

use crate::common::{Context, header};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The presigned URL, as the client will send it.
    url: String,

    /// The method the request arrives with.
    #[arg(short = 'X', long, default_value = "GET")]
    method: String,

    /// The service to accept; `s3` (and s3-outposts, s3express) uses S3's rules [default:
    /// s3express for a directory bucket's zonal endpoint (`….s3express-ZONE.REGION.…`), else
    /// s3].
    #[arg(long)]
    service: Option<String>,

    /// A header that arrives with the request (`Host` defaults to the URL's). Repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = header)]
    headers: Vec<(String, String)>,

    /// On failure, print the canonical request the verifier computed to stderr (the
    /// session token hidden).
    #[arg(long)]
    explain: bool,
}

pub fn run(args: &VerifyArgs, context: &Context) -> Result<ExitCode, String> {
    let credentials = context.credentials()?;
    let region = context.region();
    let now = context.time();
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
    let mut headers: Vec<(&str, &str)> = args
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        headers.push(("host", authority));
    }
    let key_id = credentials.access_key_id().to_owned();
    let zonal = authority.contains(".s3express-");
    let service = match &args.service {
        Some(service) => service.as_str(),
        None if zonal => "s3express",
        None => "s3",
    };
    let mut verifier = Verifier::new(
        move |id: &str| (id == key_id).then(|| credentials.clone()),
        &region,
        service,
    )
    .map_err(|e| e.to_string())?;
    // A zonal endpoint's URL with CreateSession credentials carries their token under its
    // own name.
    if zonal && target.contains("X-Amz-S3session-Token=") {
        verifier = verifier.with_settings(Settings::s3_express_session());
    }
    let mut request = ReceivedRequest::new(&args.method, &target, &headers);
    if scheme.eq_ignore_ascii_case("http") {
        request = request.over_http();
    }
    match verifier.verify(&request, now) {
        Ok(ok) => {
            let left = ok.expires_at() - now;
            let sigv4a = if ok.algorithm() == sigv4_presign::sigv4::params::ALGORITHM {
                String::new()
            } else {
                format!(" (SigV4a, region set {})", ok.region())
            };
            println!(
                "valid{sigv4a}: signed by {} for {}, headers {}, expires {} (in {} s)",
                ok.access_key_id(),
                ok.credential_scope(),
                ok.signed_headers(),
                Rfc3339(ok.expires_at()),
                left.whole_seconds()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            let mut message = reason.to_string();
            let mut source = std::error::Error::source(&reason);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            eprintln!("presign: invalid: {message}");
            if args.explain {
                match verifier.canonical_request(&request) {
                    Ok(creq) => eprintln!(
                        "--- canonical request (as the verifier computed it; token hidden)\n{}\n---",
                        redact_session_tokens(&creq)
                    ),
                    Err(e) => eprintln!("presign: no canonical request: {e}"),
                }
            }
            Ok(ExitCode::from(1))
        }
    }
}
