//! Why a presigned request was refused.

use alloc::string::String;

use time::OffsetDateTime;

use crate::error::Error;
use crate::sigv4::Rfc3339;

/// Why a presigned request was refused. Messages never contain a secret or a session token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The request target, a header or an auth parameter is malformed.
    #[error("malformed request: {reason}")]
    Malformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// The request is larger than the documented caps.
    #[error("request too large: {what} exceeds {limit}")]
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// The cap.
        limit: usize,
    },
    /// An auth parameter is missing.
    #[error("missing query parameter {name}: this is not a presigned request")]
    MissingParameter {
        /// The parameter.
        name: &'static str,
    },
    /// An auth parameter appears twice.
    #[error("query parameter {name} appears more than once")]
    DuplicateParameter {
        /// The parameter.
        name: &'static str,
    },
    /// `X-Amz-Algorithm` is not `AWS4-HMAC-SHA256` (nor, with the `sigv4a` feature,
    /// `AWS4-ECDSA-P256-SHA256`).
    #[error(
        "unsupported algorithm {algorithm:?}: AWS4-HMAC-SHA256 is accepted, and \
         AWS4-ECDSA-P256-SHA256 (SigV4a) with the sigv4a feature"
    )]
    UnsupportedAlgorithm {
        /// The algorithm named.
        algorithm: String,
    },
    /// No secret is known for the access key id.
    #[error("unknown access key id {access_key_id:?}")]
    UnknownAccessKey {
        /// The access key id named.
        access_key_id: String,
    },
    /// The credential scope names another date, region or service than expected.
    #[error("credential scope mismatch: {part} is {found:?}, expected {expected}")]
    ScopeMismatch {
        /// `"date"`, `"region"`, `"service"` or `"terminator"`.
        part: &'static str,
        /// What the request says.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// `X-Amz-Expires` is not a number of seconds in 1..=604800.
    #[error(
        "X-Amz-Expires {seconds} is out of range: at most 604800 seconds (7 days) and at least 1"
    )]
    ExpiresOutOfRange {
        /// The number given (saturated).
        seconds: u64,
    },
    /// The request was signed further in the future than the allowed clock skew.
    #[error("signed at {}, in the future beyond the allowed clock skew", Rfc3339(*signed_at))]
    NotYetValid {
        /// The signing time.
        signed_at: OffsetDateTime,
    },
    /// The URL has expired.
    #[error("the presigned URL expired at {}", Rfc3339(*expired_at))]
    Expired {
        /// When it expired.
        expired_at: OffsetDateTime,
    },
    /// A header listed in `X-Amz-SignedHeaders` is absent from the request.
    #[error("signed header {name:?} is absent from the request")]
    SignedHeaderMissing {
        /// The header name.
        name: String,
    },
    /// The request carries an `x-amz-*` header the URL does not sign (S3 answers such a
    /// request 403): it would change what the request does.
    #[error(
        "the header {name:?} is not signed: S3 refuses x-amz-* headers a presigned URL does \
         not sign (but x-amz-content-sha256)"
    )]
    UnsignedHeader {
        /// The header's name, lower case.
        name: String,
    },
    /// The session token is missing, unexpected or different from the expected one.
    #[error("the session token does not match the credentials")]
    SessionTokenMismatch,
    /// The request cannot be canonicalised (a signed header's name or value is
    /// malformed, say); the source says why.
    #[error("the request cannot be canonicalised")]
    InvalidRequest(#[source] Error),
    /// A POST form lacks a field S3 requires.
    #[error("the form has no {name} field")]
    MissingField {
        /// The field, lower case.
        name: String,
    },
    /// A POST form names a field twice.
    #[error("the form sends the field {name:?} twice")]
    DuplicateField {
        /// The field, lower case.
        name: String,
    },
    /// A POST form's `bucket` field names another bucket than its URL.
    #[error("the form's bucket field names {form:?} but it was posted to {url:?}")]
    BucketMismatch {
        /// The form's.
        form: String,
        /// The URL's.
        url: String,
    },
    /// A POST policy cannot be read.
    #[error("invalid POST policy: {reason}")]
    InvalidPolicy {
        /// What is wrong.
        reason: &'static str,
    },
    /// A POST policy has expired.
    #[error("the POST policy expired at {}", Rfc3339(*expired_at))]
    PolicyExpired {
        /// When it expired.
        expired_at: OffsetDateTime,
    },
    /// A POST form breaks a condition of its policy.
    #[error("the form's field {field:?} breaks the policy: {reason}")]
    ConditionFailed {
        /// The field, lower case.
        field: String,
        /// How.
        reason: &'static str,
    },
    /// A POST form sends a field no condition names (S3: "Extra input fields").
    #[error("the form sends the field {name:?}, which no condition of the policy names")]
    FieldNotInPolicy {
        /// The field, lower case.
        name: String,
    },
    /// The uploaded file's size is outside the policy's `content-length-range`.
    #[error("the file is {length} bytes; the policy allows {min} to {max}")]
    ContentLengthOutOfRange {
        /// The file's size.
        length: u64,
        /// The smallest allowed.
        min: u64,
        /// The largest allowed.
        max: u64,
    },
    /// The signature does not match the request.
    #[error(
        "signature mismatch: the request differs from what was signed, or another secret signed it"
    )]
    SignatureMismatch,
}

impl From<Error> for VerifyError {
    fn from(error: Error) -> Self {
        VerifyError::InvalidRequest(error)
    }
}
