//! What can go wrong while finding credentials and settings.

use std::path::PathBuf;
use std::string::String;

/// Why credentials or settings could not be found or read. Messages name the variable,
/// file and line, or profile at fault, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// One variable of a pair is set without the other.
    #[error("{set} is set but {missing} is not: set both, or neither")]
    HalfSetPair {
        /// The variable that is set.
        set: &'static str,
        /// The one that is missing.
        missing: &'static str,
    },

    /// A session token is set without the keys it belongs to.
    #[error("{token} is set without {key_id} and {secret}: set all three, or unset the token")]
    TokenWithoutKeys {
        /// The token's variable or setting.
        token: &'static str,
        /// The access key id's.
        key_id: &'static str,
        /// The secret's.
        secret: &'static str,
    },

    /// An expiry time is not RFC 3339.
    #[error("{name} is not an RFC 3339 time such as 2024-05-01T12:00:00Z")]
    InvalidExpiration {
        /// The variable that holds it.
        name: &'static str,
    },

    /// Credentials were found but are malformed (an empty key, a stray newline…).
    #[error("the credentials from {origin} are malformed: {error}")]
    InvalidCredentials {
        /// Where they came from.
        origin: String,
        /// What is wrong.
        error: crate::Error,
    },

    /// A config or credentials file could not be read.
    #[error("cannot read {}: {reason}", path.display())]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },

    /// A config or credentials file is malformed.
    #[error("{}, line {line}: {reason}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The line, counted from 1.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },

    /// The profile asked for is in neither file.
    #[error(
        "the profile {profile:?} is not in {files}: check --profile / AWS_PROFILE, or add it with `aws configure --profile {profile}`"
    )]
    ProfileNotFound {
        /// The profile.
        profile: String,
        /// The files looked at, joined.
        files: String,
    },

    /// The profile's credentials need a network call (assume role, SSO, web identity),
    /// which this crate does not make.
    #[error(
        "the profile {profile:?} gets its credentials with {setting}, which needs a call to \
         AWS that this offline tool does not make: add `credential_process = aws configure \
         export-credentials --profile {profile} --format process` to a profile and use that \
         one, or export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN"
    )]
    NeedsNetwork {
        /// The profile.
        profile: String,
        /// The setting that asks for it (`role_arn`, `sso_session`, …).
        setting: &'static str,
    },

    /// A profile sets one of its keys without the other.
    #[error("the profile {profile:?} sets {set} but not {missing}: set both")]
    IncompleteProfile {
        /// The profile.
        profile: String,
        /// The key that is set.
        set: &'static str,
        /// The one that is missing.
        missing: &'static str,
    },

    /// A `credential_process` failed.
    #[error("credential_process of the profile {profile:?} ({program}) failed: {reason}")]
    Process {
        /// The profile.
        profile: String,
        /// The program it runs (its arguments are not shown: they may be secret).
        program: String,
        /// What went wrong, with what it wrote to stderr.
        reason: String,
    },

    /// No credentials anywhere.
    #[error("no credentials found: looked in {looked}")]
    NoCredentials {
        /// Where it looked.
        looked: String,
    },
}
