//! `presign`: print an AWS SigV4 presigned URL.
//!
//! stdout carries the URL alone, so `curl "$(presign …)"` works; everything else (the
//! headers the client must send, notes, `--explain`) goes to stderr. Bad input prints one
//! line on stderr and exits with status 2. One file per command; `common` holds what they
//! share.

mod cloudfront;
mod common;
mod post;
mod sign;
mod token;
mod verify;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

/// Print an AWS Signature Version 4 presigned URL, offline.
///
/// Credentials are found as the AWS CLI finds them: AWS_ACCESS_KEY_ID,
/// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (and AWS_CREDENTIAL_EXPIRATION); then the
/// profile (--profile, $AWS_PROFILE, or default) in $AWS_SHARED_CREDENTIALS_FILE
/// (~/.aws/credentials) and $AWS_CONFIG_FILE (~/.aws/config): its keys, then its
/// credential_process. With none, it stops; --example-credentials signs with AWS's
/// documented example keys.
#[derive(Debug, Parser)]
#[command(name = "presign", version, subcommand_negates_reqs = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    scope: common::Scope,

    #[command(flatten)]
    sign: sign::SignArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a presigned URL against the credentials in the environment: exit 0 and a
    /// summary when it is valid, exit 1 and the reason when it is not.
    Verify(verify::VerifyArgs),
    /// Print an AWS auth token that is a presigned URL (RDS, Aurora DSQL, EKS, ElastiCache,
    /// MemoryDB, MSK).
    Token(token::TokenArgs),
    /// Print an S3 POST policy (a browser form that uploads straight to S3) as
    /// {"url": …, "fields": {…}}, or as a curl command.
    Post(post::PostArgs),
    /// Print a CloudFront signed URL (or signed cookies), as `aws cloudfront sign` does.
    Cloudfront(cloudfront::CloudFrontArgs),
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
    let result = common::Context::new(&cli.scope).and_then(|context| match &cli.command {
        Some(Command::Verify(args)) => verify::run(args, &context),
        Some(Command::Token(args)) => token::run(args, &context).map(|()| ExitCode::SUCCESS),
        Some(Command::Post(args)) => post::run(args, &context).map(|()| ExitCode::SUCCESS),
        Some(Command::Cloudfront(args)) => {
            cloudfront::run(args, &context).map(|()| ExitCode::SUCCESS)
        }
        None => sign::run(&cli.sign, &context).map(|()| ExitCode::SUCCESS),
    });
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("presign: error: {message}");
            ExitCode::from(2)
        }
    }
}
