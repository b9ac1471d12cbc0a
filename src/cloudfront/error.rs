//! What can go wrong when signing or verifying for CloudFront.

use alloc::string::String;

/// An error of the `cloudfront` module: each says what was wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CloudFrontError {
    /// The PEM text holds no key this module reads.
    #[error("unreadable {what}: {reason}")]
    InvalidKey {
        /// `"private key"` or `"public key"`.
        what: &'static str,
        /// What is wrong and how to fix it.
        reason: &'static str,
    },

    /// The key pair id is empty or holds a character that cannot stand in a URL or cookie.
    #[error(
        "invalid key pair id {0:?}: give the ID of the CloudFront public key (e.g. \
         K2JCJMDEHXQW5F), letters and digits only"
    )]
    InvalidKeyPairId(String),

    /// The URL to sign is not an absolute http(s) URL CloudFront can match.
    #[error("invalid URL: {0}")]
    InvalidUrl(&'static str),

    /// A policy resource, date or IP range CloudFront would not accept.
    #[error("invalid policy: {0}")]
    InvalidPolicy(&'static str),

    /// An IP range that is not `a.b.c.d/n` or an IPv6 CIDR.
    #[error(
        "invalid IP range {0:?}: write an address (192.0.2.7, taken as /32) or a CIDR block \
         (192.0.2.0/24, 2001:db8::/32) with no host bits set"
    )]
    InvalidIpRange(String),

    /// A cookie attribute (domain, path) that would break the `Set-Cookie` header.
    #[error("invalid cookie {attribute}: {reason}")]
    InvalidCookieAttribute {
        /// `"domain"` or `"path"`.
        attribute: &'static str,
        /// What is wrong.
        reason: &'static str,
    },

    /// The signing library refused to sign (not known to happen with a key that parsed).
    #[error("the signature could not be made: check the private key")]
    SigningFailed,

    /// A time that cannot be written as Unix seconds (before 1970 or after 9999).
    #[error("the time is out of range: CloudFront takes times from 1970 to 9999")]
    TimeOutOfRange,
}

/// Why a CloudFront URL or cookie set does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CloudFrontVerifyError {
    /// A parameter (or cookie) is missing, repeated, or not in CloudFront's form.
    #[error("malformed signed request: {0}")]
    Malformed(&'static str),
    /// Signed by another key pair than the verifier's.
    #[error("unknown key pair id {0:?}")]
    UnknownKeyPair(String),
    /// The signature does not match the policy.
    #[error("the signature does not match")]
    SignatureMismatch,
    /// The request's URL is not the policy's resource (nor matched by its wildcards).
    #[error("the URL is not the one the policy allows")]
    ResourceMismatch,
    /// Used at or after `DateLessThan`.
    #[error("expired at {0} (Unix time)")]
    Expired(i64),
    /// Used before `DateGreaterThan`.
    #[error("not valid before {0} (Unix time)")]
    NotYetValid(i64),
    /// The client's address is outside the policy's `IpAddress` range (or unknown).
    #[error("the client's address is outside the allowed range")]
    IpNotAllowed,
}
