//! The settings of one profile, with the environment over them, resolved in the order AWS
//! tools resolve them.

use std::fs;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::string::{String, ToString};
use std::time::Duration;
use std::vec::Vec;

use crate::credentials::env::Env;
use crate::credentials::error::ConfigError;
use crate::credentials::process::{CREDENTIAL_PROCESS_TIMEOUT, run_credential_process};
use crate::credentials::profile_file::{
    self, FileKind, ProfileFile, Properties, merged_profile, sub_properties,
};
use crate::rfc3339::Rfc3339;
use crate::sigv4::Credentials;

/// Where credentials were found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsSource {
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`).
    Environment,
    /// A profile's `aws_access_key_id` and `aws_secret_access_key`.
    Profile(String),
    /// A profile's `credential_process`.
    Process(String),
}

impl core::fmt::Display for CredentialsSource {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            CredentialsSource::Environment => f.write_str("the environment (AWS_ACCESS_KEY_ID)"),
            CredentialsSource::Profile(p) => write!(f, "the profile {p:?}"),
            CredentialsSource::Process(p) => {
                write!(f, "the credential_process of the profile {p:?}")
            }
        }
    }
}

/// The configuration AWS tools would use: the environment, then one profile of the
/// shared `config` and `credentials` files (the credentials file winning for a key both
/// set).
///
/// ```
/// use sigv4_presign::credentials::{AwsConfig, CredentialsSource, Env};
///
/// # let dir = std::env::temp_dir().join(format!("sigv4-presign-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir)?;
/// # let config = dir.join("config");
/// std::fs::write(&config, "[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n")?;
/// # let credentials = dir.join("credentials");
/// std::fs::write(&credentials, "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = secret\n")?;
///
/// let (config, credentials) = (config.display().to_string(), credentials.display().to_string());
/// let env = Env::from_pairs([
///     ("AWS_CONFIG_FILE", config.as_str()),
///     ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
///     ("AWS_PROFILE", "dev"),
/// ]);
/// let aws = AwsConfig::load(env)?;
/// assert_eq!(aws.region(), Some("eu-west-1"));
/// assert_eq!(aws.s3_addressing_style().as_deref(), Some("path"));
/// let (creds, source) = aws.credentials()?;
/// assert_eq!((creds.access_key_id(), source), ("AKIDDEV", CredentialsSource::Profile("dev".into())));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct AwsConfig {
    env: Env,
    profile_name: String,
    /// Whether the caller chose the profile (as `--profile` does): its credentials then
    /// come before the environment's, as in the AWS CLI.
    chosen: bool,
    profile: Option<Properties>,
    /// The `[services NAME]` section the profile names.
    services: Option<Properties>,
    files: Vec<PathBuf>,
    process_timeout: Duration,
}

impl AwsConfig {
    /// The configuration of the profile `AWS_PROFILE` names, or `default`.
    ///
    /// Errors: a file that cannot be read or is malformed (with its path and line), and
    /// [`ConfigError::ProfileNotFound`] when `AWS_PROFILE` names a profile neither file
    /// has.
    pub fn load(env: Env) -> Result<Self, ConfigError> {
        let named = env.get("AWS_PROFILE").map(String::from);
        Self::load_with(env, named, false)
    }

    /// The configuration of `profile`, chosen by the caller (a `--profile` flag): it must
    /// exist, and its credentials come before the environment's.
    pub fn load_profile(env: Env, profile: &str) -> Result<Self, ConfigError> {
        Self::load_with(env, Some(profile.to_string()), true)
    }

    fn load_with(env: Env, profile: Option<String>, chosen: bool) -> Result<Self, ConfigError> {
        let config_path = env.expand_home(env.get("AWS_CONFIG_FILE").unwrap_or("~/.aws/config"));
        let credentials_path = env.expand_home(
            env.get("AWS_SHARED_CREDENTIALS_FILE")
                .unwrap_or("~/.aws/credentials"),
        );
        let config = read(&config_path, FileKind::Config)?;
        let credentials = read(&credentials_path, FileKind::Credentials)?;
        let named = profile.is_some();
        let profile_name = profile.unwrap_or_else(|| "default".into());
        let profile = merged_profile(&config, &credentials, &profile_name);
        if named && profile.is_none() {
            return Err(ConfigError::ProfileNotFound {
                profile: profile_name,
                files: std::format!(
                    "{} or {}",
                    config_path.display(),
                    credentials_path.display()
                ),
            });
        }
        let services = match profile.as_ref().and_then(|p| p.get("services")) {
            None => None,
            Some(name) => Some(config.services.get(&name.text).cloned().ok_or_else(|| {
                ConfigError::Syntax {
                    path: name.path.clone(),
                    line: name.line,
                    reason: "the profile names a [services …] section that the config file lacks",
                }
            })?),
        };
        Ok(Self {
            env,
            profile_name,
            chosen,
            profile,
            services,
            files: Vec::from([config_path, credentials_path]),
            process_timeout: CREDENTIAL_PROCESS_TIMEOUT,
        })
    }

    /// How long a `credential_process` may run (60 s by default).
    pub fn with_process_timeout(mut self, timeout: Duration) -> Self {
        self.process_timeout = timeout;
        self
    }

    /// The profile in use.
    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// The environment it reads.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// A setting of the profile (the key in any case), if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        let key = key.to_ascii_lowercase();
        self.profile
            .as_ref()?
            .get(&key)
            .map(|value| value.text.as_str())
            .filter(|text| !text.is_empty())
    }

    /// The region: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    pub fn region(&self) -> Option<&str> {
        self.env
            .get("AWS_REGION")
            .or_else(|| self.env.get("AWS_DEFAULT_REGION"))
            .or_else(|| self.get("region"))
    }

    /// The S3 addressing style the profile sets (`s3 =` then `addressing_style = path`,
    /// `virtual` or `auto`).
    pub fn s3_addressing_style(&self) -> Option<String> {
        let s3 = self.get("s3")?;
        sub_properties(s3).remove("addressing_style")
    }

    /// The endpoint configured for the service whose id is `service_id` (`S3`, `STS`,
    /// `Elastic Beanstalk`), in AWS's documented order: `AWS_ENDPOINT_URL_<ID>`,
    /// `AWS_ENDPOINT_URL`, the profile's `[services …]` section, the profile's
    /// `endpoint_url`; none when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
    /// `ignore_configured_endpoint_urls` is `true`. (An endpoint given on the command
    /// line comes before all of these, and is the caller's to apply.)
    pub fn endpoint_url(&self, service_id: &str) -> Option<String> {
        let is_true = |v: &str| v.eq_ignore_ascii_case("true");
        if self
            .env
            .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .is_some_and(is_true)
            || self
                .get("ignore_configured_endpoint_urls")
                .is_some_and(is_true)
        {
            return None;
        }
        let env_name = std::format!(
            "AWS_ENDPOINT_URL_{}",
            service_id.replace([' ', '-'], "_").to_ascii_uppercase()
        );
        let service_key = service_id.replace([' ', '-'], "_").to_ascii_lowercase();
        self.env
            .get(&env_name)
            .or_else(|| self.env.get("AWS_ENDPOINT_URL"))
            .map(String::from)
            .or_else(|| {
                let section = self.services.as_ref()?.get(&service_key)?;
                sub_properties(&section.text)
                    .remove("endpoint_url")
                    .filter(|url| !url.is_empty())
            })
            .or_else(|| self.get("endpoint_url").map(String::from))
    }

    /// The credentials, and where they were found: the environment, then the profile
    /// (its keys, then its `credential_process`); a profile chosen with
    /// [`AwsConfig::load_profile`] comes before the environment.
    ///
    /// Errors: [`ConfigError::NoCredentials`] (saying where it looked), and any error of
    /// the environment or the profile: half-set pairs, a profile that needs a network
    /// call, a failed `credential_process`.
    pub fn credentials(&self) -> Result<(Credentials, CredentialsSource), ConfigError> {
        if !self.chosen
            && let Some(credentials) = credentials_from_env(&self.env)?
        {
            return Ok((credentials, CredentialsSource::Environment));
        }
        if let Some(found) = self.profile_credentials()? {
            return Ok(found);
        }
        let files: Vec<String> = self.files.iter().map(|p| p.display().to_string()).collect();
        Err(ConfigError::NoCredentials {
            looked: std::format!(
                "{}the profile {:?} in {}",
                if self.chosen {
                    ""
                } else {
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                },
                self.profile_name,
                files.join(" and ")
            ),
        })
    }

    /// The profile's own credentials, if it has any.
    pub fn profile_credentials(
        &self,
    ) -> Result<Option<(Credentials, CredentialsSource)>, ConfigError> {
        let name = &self.profile_name;
        let needs_network = |setting| {
            Err(ConfigError::NeedsNetwork {
                profile: name.clone(),
                setting,
            })
        };
        for setting in [
            "role_arn",
            "web_identity_token_file",
            "sso_session",
            "sso_start_url",
            "sso_account_id",
        ] {
            if self.get(setting).is_some() {
                return needs_network(setting);
            }
        }
        let key = self.get("aws_access_key_id");
        let secret = self.get("aws_secret_access_key");
        let token = self.get("aws_session_token");
        let incomplete = |set, missing| ConfigError::IncompleteProfile {
            profile: name.clone(),
            set,
            missing,
        };
        match (key, secret) {
            (Some(key), Some(secret)) => {
                let origin = || std::format!("the profile {name:?}");
                let invalid = |error| ConfigError::InvalidCredentials {
                    origin: origin(),
                    error,
                };
                let mut credentials = Credentials::new(key, secret).map_err(invalid)?;
                if let Some(token) = token {
                    credentials = credentials.with_session_token(token).map_err(invalid)?;
                }
                return Ok(Some((
                    credentials,
                    CredentialsSource::Profile(name.clone()),
                )));
            }
            (Some(_), None) => {
                return Err(incomplete("aws_access_key_id", "aws_secret_access_key"));
            }
            (None, Some(_)) => {
                return Err(incomplete("aws_secret_access_key", "aws_access_key_id"));
            }
            (None, None) if token.is_some() => {
                return Err(ConfigError::TokenWithoutKeys {
                    token: "aws_session_token",
                    key_id: "aws_access_key_id",
                    secret: "aws_secret_access_key",
                });
            }
            (None, None) => {}
        }
        if let Some(command) = self.get("credential_process") {
            let credentials = run_credential_process(name, command, self.process_timeout)?;
            return Ok(Some((
                credentials,
                CredentialsSource::Process(name.clone()),
            )));
        }
        Ok(None)
    }
}

/// The credentials of `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`
/// and `AWS_CREDENTIAL_EXPIRATION` (RFC 3339), or `None` when none of them is set.
///
/// ```
/// use sigv4_presign::credentials::{ConfigError, Env, credentials_from_env};
///
/// let env = Env::from_pairs([
///     ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
///     ("AWS_SECRET_ACCESS_KEY", "secret"),
///     ("AWS_SESSION_TOKEN", "token"),
///     ("AWS_CREDENTIAL_EXPIRATION", "2024-05-01T12:00:00Z"),
/// ]);
/// let creds = credentials_from_env(&env)?;
/// assert_eq!(
///     creds.and_then(|c| c.expiration()),
///     Some(time::macros::datetime!(2024-05-01 12:00 UTC))
/// );
///
/// let half = Env::from_pairs([("AWS_ACCESS_KEY_ID", "AKID")]);
/// assert!(matches!(credentials_from_env(&half), Err(ConfigError::HalfSetPair { .. })));
/// # Ok::<(), ConfigError>(())
/// ```
///
/// Errors: [`ConfigError::HalfSetPair`], [`ConfigError::TokenWithoutKeys`],
/// [`ConfigError::InvalidExpiration`], [`ConfigError::InvalidCredentials`].
pub fn credentials_from_env(env: &Env) -> Result<Option<Credentials>, ConfigError> {
    const KEY: &str = "AWS_ACCESS_KEY_ID";
    const SECRET: &str = "AWS_SECRET_ACCESS_KEY";
    const TOKEN: &str = "AWS_SESSION_TOKEN";
    const EXPIRATION: &str = "AWS_CREDENTIAL_EXPIRATION";
    let (key, secret) = match (env.get(KEY), env.get(SECRET)) {
        (Some(key), Some(secret)) => (key, secret),
        (Some(_), None) => {
            return Err(ConfigError::HalfSetPair {
                set: KEY,
                missing: SECRET,
            });
        }
        (None, Some(_)) => {
            return Err(ConfigError::HalfSetPair {
                set: SECRET,
                missing: KEY,
            });
        }
        (None, None) if env.get(TOKEN).is_some() => {
            return Err(ConfigError::TokenWithoutKeys {
                token: TOKEN,
                key_id: KEY,
                secret: SECRET,
            });
        }
        (None, None) => return Ok(None),
    };
    let invalid = |error| ConfigError::InvalidCredentials {
        origin: "the environment".into(),
        error,
    };
    let mut credentials = Credentials::new(key, secret).map_err(invalid)?;
    if let Some(token) = env.get(TOKEN) {
        credentials = credentials.with_session_token(token).map_err(invalid)?;
    }
    if let Some(text) = env.get(EXPIRATION) {
        let at = Rfc3339::parse(text).ok_or(ConfigError::InvalidExpiration { name: EXPIRATION })?;
        credentials = credentials.with_expiration(at);
    }
    Ok(Some(credentials))
}

/// A file's profiles; a file that does not exist has none.
fn read(path: &PathBuf, kind: FileKind) -> Result<ProfileFile, ConfigError> {
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| ConfigError::ReadFile {
                path: path.clone(),
                reason: "it is not UTF-8 text".into(),
            })?;
            profile_file::parse(&text, kind, path)
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(ProfileFile::default()),
        Err(e) => Err(ConfigError::ReadFile {
            path: path.clone(),
            reason: e.to_string(),
        }),
    }
}
