//! Credentials and settings found the way the AWS CLI and SDKs find them (with `std`).
//!
//! | what | where, in order |
//! |---|---|
//! | credentials | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`; then the profile's `aws_access_key_id`/`aws_secret_access_key`/`aws_session_token` (the credentials file winning over the config file); then its `credential_process` |
//! | profile | a name the caller chooses, `AWS_PROFILE`, `default` |
//! | files | `AWS_CONFIG_FILE` (`~/.aws/config`), `AWS_SHARED_CREDENTIALS_FILE` (`~/.aws/credentials`) |
//! | region | `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region` |
//! | endpoint | `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `[services …]` section, its `endpoint_url`; none with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` |
//! | S3 addressing | the profile's `s3 =` / `addressing_style` |
//!
//! Profiles whose credentials need a call to AWS (`role_arn`, `sso_*`,
//! `web_identity_token_file`) are refused with an error that says what works offline:
//! `credential_process = aws configure export-credentials --profile NAME --format process`.
//!
//! ```no_run
//! use sigv4_presign::credentials::{AwsConfig, Env};
//! use sigv4_presign::Presigner;
//!
//! let aws = AwsConfig::load(Env::from_process())?;
//! let (credentials, source) = aws.credentials()?;
//! let region = aws.region().unwrap_or("us-east-1");
//! let presigner = Presigner::new(credentials, region, "s3")?;
//! eprintln!("signing with credentials from {source}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod config;
mod env;
mod error;
mod process;
mod profile_file;

pub use config::{AwsConfig, CredentialsSource, credentials_from_env};
pub use env::Env;
pub use error::ConfigError;
pub use process::{CREDENTIAL_PROCESS_TIMEOUT, run_credential_process};
