//! The one error type of the crate.
//!
//! Every message says what was wrong and how to fix it. No message ever contains a secret
//! access key or a session token; where an input is echoed back (a header name, a scheme, a
//! region) it is one that cannot carry a secret.

use alloc::string::String;

use time::OffsetDateTime;

use crate::rfc3339::Rfc3339;

/// Everything that can go wrong while presigning.
///
/// The enum is `#[non_exhaustive]`: later versions may add variants, so match with a
/// wildcard arm.
///
/// ```
/// use sigv4_presign::{Credentials, Error};
///
/// let err = Credentials::new("", "secret").unwrap_err();
/// assert_eq!(err, Error::EmptyAccessKeyId);
/// assert!(err.to_string().contains("access key id is empty"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The access key id is the empty string.
    #[error("the access key id is empty: pass the AKIA…/ASIA… id of the credentials that sign")]
    EmptyAccessKeyId,

    /// The access key id holds a character that cannot stand in a credential scope.
    #[error(
        "the access key id holds {found}: it must be printable ASCII without `/` or spaces \
         (check for a stray newline or quote when it was read from a file or variable)"
    )]
    InvalidAccessKeyId {
        /// A description of the offending character.
        found: String,
    },

    /// The secret access key is the empty string.
    #[error("the secret access key is empty: pass the secret that belongs to the access key id")]
    EmptySecretAccessKey,

    /// The secret access key holds a space or a control character.
    #[error(
        "the secret access key holds a space or a control character: pass it exactly as AWS \
         issued it (check for a trailing newline when it was read from a file)"
    )]
    InvalidSecretAccessKey,

    /// The session token is the empty string.
    #[error(
        "the session token is empty: leave it out for long-term credentials, or pass the token \
         that came with the temporary credentials"
    )]
    EmptySessionToken,

    /// The session token holds a character that cannot be sent.
    #[error(
        "the session token holds a control character or space: pass it exactly as AWS issued \
         it (check for a trailing newline)"
    )]
    InvalidSessionToken,

    /// The region or the service name is empty or holds a character that cannot stand in a
    /// credential scope.
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidScope {
        /// `"region"` or `"service"`.
        field: &'static str,
        /// The value that was given.
        value: String,
        /// What is wrong and how to fix it.
        reason: &'static str,
    },

    /// The expiry is outside 1..=604800 seconds.
    #[error(
        "expiry of {seconds} s is out of range: a presigned URL must expire after 1 to 604800 \
         seconds (7 days)"
    )]
    ExpiresOutOfRange {
        /// The requested expiry, in whole seconds.
        seconds: u64,
    },

    /// The credentials had expired at the signing time.
    #[error(
        "the credentials expired at {}: refresh them (temporary credentials last minutes \
         to hours) before signing",
        Rfc3339(*expired_at)
    )]
    CredentialsExpired {
        /// When they expired.
        expired_at: OffsetDateTime,
    },

    /// The URL (or form, or token) would stay valid after its credentials expire, when it
    /// stops working.
    #[error(
        "the URL would expire at {}, but the credentials that sign it expire at {}, when the \
         URL stops working: sign with longer-lived credentials, ask for a shorter expiry, or \
         clamp the expiry to the credentials' lifetime",
        Rfc3339(*url_expires_at),
        Rfc3339(*credentials_expire_at)
    )]
    OutlivesCredentials {
        /// When the URL would expire.
        url_expires_at: OffsetDateTime,
        /// When the credentials expire.
        credentials_expire_at: OffsetDateTime,
    },

    /// The expiry has a fractional second part.
    #[error("expiry must be a whole number of seconds (X-Amz-Expires has no fractions)")]
    ExpiresNotWholeSeconds,

    /// The signing time, or the time it expires, cannot be written as `YYYYMMDD'T'HHMMSS'Z'`.
    #[error(
        "signing time out of range: the signing time and its expiry must fall in the years \
         0000 to 9999 (UTC)"
    )]
    TimeOutOfRange,

    /// A timestamp is neither `20130524T000000Z` nor RFC 3339 (`2013-05-24T00:00:00Z`), or
    /// names no real instant.
    #[error(
        "invalid timestamp {value:?}: write it as 20130524T000000Z (UTC) or in RFC 3339, \
         such as 2013-05-24T00:00:00Z or 2013-05-24T02:00:00+02:00"
    )]
    InvalidTimestamp {
        /// The text that was given (at most 40 characters of it).
        value: String,
    },

    /// The HTTP method is empty, not an HTTP token, or not upper case.
    #[error(
        "invalid HTTP method {method:?}: use an upper-case method such as GET, PUT, HEAD, POST \
         or DELETE (methods are case-sensitive)"
    )]
    InvalidMethod {
        /// The method that was given.
        method: String,
    },

    /// The URL's scheme is neither `http` nor `https`.
    #[error(
        "unsupported URL scheme {scheme:?}: presigned URLs must start with https:// or http://"
    )]
    UnsupportedScheme {
        /// The scheme that was found (empty when the URL has none).
        scheme: String,
    },

    /// The URL has no host.
    #[error(
        "the URL has no host: give an absolute URL such as https://bucket.s3.amazonaws.com/key"
    )]
    MissingHost,

    /// The URL carries a `user:password@` part.
    #[error(
        "the URL carries user information (`user@` or `user:password@`): remove it, \
         presigned URLs authenticate with the signature alone"
    )]
    UrlHasUserinfo,

    /// The URL carries a `#fragment`.
    #[error(
        "the URL has a #fragment, which is never sent to the server: remove it, or \
         percent-encode `#` as %23 if it is part of the path or query"
    )]
    UrlHasFragment,

    /// The URL's query (or a query parameter added to the request) already holds a SigV4
    /// authentication parameter.
    #[error(
        "the request already carries the authentication parameter {name:?}: presign the \
         original, unsigned URL (the signer adds X-Amz-Algorithm, X-Amz-Credential, \
         X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token and \
         X-Amz-Signature itself)"
    )]
    AuthParameterPresent {
        /// The parameter name as found.
        name: String,
    },

    /// The host is not a DNS name, an IPv4 address or a bracketed IPv6 literal.
    #[error("invalid host {host:?}: {reason}")]
    InvalidHost {
        /// The host as found in the URL.
        host: String,
        /// What is wrong and how to fix it.
        reason: &'static str,
    },

    /// The port is not a number in 1..=65535.
    #[error("invalid port {port:?}: a port is a number from 1 to 65535")]
    InvalidPort {
        /// The port as found in the URL.
        port: String,
    },

    /// Some other part of the URL is malformed.
    #[error("malformed URL: {reason}")]
    MalformedUrl {
        /// What is wrong and how to fix it.
        reason: &'static str,
    },

    /// A header name is empty or holds a character that is not allowed in an HTTP token.
    #[error(
        "invalid header name {name:?}: a header name is a non-empty HTTP token (letters, \
         digits and !#$%&'*+-.^_`|~), without the colon or spaces"
    )]
    InvalidHeaderName {
        /// The name that was given.
        name: String,
    },

    /// A header value holds a line break that is not a folded line, or another control
    /// character.
    #[error(
        "invalid value for header {name:?}: {reason}; remove it, a header value is one line \
         (a line break followed by spaces or tabs folds into one space)"
    )]
    InvalidHeaderValue {
        /// The (lower-cased) header name.
        name: String,
        /// What was found.
        reason: &'static str,
    },

    /// A header the signature itself is made of (`Authorization`, `X-Amz-Date`, …) was
    /// given to sign.
    #[error(
        "the header {name:?} cannot be signed into a presigned URL: the signer writes the \
         authentication itself, in the query (remove it)"
    )]
    ReservedHeader {
        /// The (lower-cased) header name.
        name: String,
    },

    /// A `host` header was given that differs from the URL's host.
    #[error(
        "the host header {given:?} differs from the URL's host {url_host:?}: the host that is \
         signed is taken from the URL, so remove the header or change the URL"
    )]
    HostHeaderMismatch {
        /// The value of the header that was given.
        given: String,
        /// The host (and port) taken from the URL.
        url_host: String,
    },

    /// An S3 bucket name breaks S3's naming rules.
    #[error("invalid bucket name {name:?}: {reason}")]
    InvalidBucketName {
        /// The name that was given.
        name: String,
        /// The rule it breaks.
        reason: &'static str,
    },

    /// An S3 object key is empty or longer than 1024 bytes.
    #[error("invalid object key: {reason}")]
    InvalidObjectKey {
        /// What is wrong.
        reason: &'static str,
    },

    /// An S3 endpoint cannot be used, or its options do not go together.
    #[error("invalid S3 endpoint: {reason}")]
    InvalidEndpoint {
        /// What is wrong and how to fix it.
        reason: &'static str,
    },

    /// A POST policy's form field cannot be used.
    #[error("invalid form field {name:?} for the POST policy: {reason}")]
    InvalidFormField {
        /// The field's name (at most 64 characters of it).
        name: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// A POST policy's `content-length-range` is upside down.
    #[error("invalid content-length-range: the minimum {min} is above the maximum {max}")]
    InvalidLengthRange {
        /// The smallest size allowed.
        min: u64,
        /// The largest.
        max: u64,
    },

    /// An UploadPart part number outside 1..=10000.
    #[error("part number {part_number} is out of range: S3 part numbers run from 1 to 10000")]
    PartNumberOutOfRange {
        /// The part number that was given.
        part_number: u32,
    },

    /// A CompleteMultipartUpload part list S3 would refuse.
    #[error("invalid part list: {reason}")]
    InvalidPartList {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// An S3 response body is not what the operation returns.
    #[error("unexpected S3 response: expected {expected}")]
    UnexpectedResponse {
        /// What was expected.
        expected: &'static str,
    },

    /// S3 answered with an `<Error>` document (CompleteMultipartUpload may do so with
    /// `200 OK`).
    #[error("S3 answered with an error: {code}: {message}")]
    S3ErrorResponse {
        /// S3's error code (`NoSuchUpload`, `InvalidPart`, …).
        code: String,
        /// S3's message.
        message: String,
    },

    /// A WHATWG URL parser (the `url` crate, browsers, reqwest) would send another path than
    /// the one signed: the path has a `.` or `..` segment.
    #[error(
        "URL parsers would send path {sent:?} instead of the signed {signed:?}, and the store \
         would answer 403: browsers, reqwest and the url crate resolve `.` and `..` segments \
         (also written %2E) away; rename the object, or use a client that sends paths as \
         written (curl --path-as-is)"
    )]
    PathRewrittenByUrlParsers {
        /// The path that was signed.
        signed: String,
        /// The path a WHATWG client would send.
        sent: String,
    },

    /// A header value that HTTP clients would mangle (not visible ASCII).
    #[error("the {name} value is not plain ASCII, which HTTP clients mangle: {hint}")]
    NonAsciiHeaderValue {
        /// The header (or the parameter S3 turns into one).
        name: &'static str,
        /// How to write it instead.
        hint: &'static str,
    },

    /// The presigner cannot sign for this bucket: another region, or settings that are not
    /// S3's.
    #[error("this presigner cannot sign for the bucket: {reason}")]
    PresignerMismatch {
        /// What differs and how to fix it.
        reason: String,
    },

    /// An input of a token generator is not acceptable to that service.
    #[error("invalid {input} for the token: {reason}")]
    InvalidTokenInput {
        /// Which input (`"hostname"`, `"port"`, `"cluster name"`, …).
        input: &'static str,
        /// What is wrong and how to fix it.
        reason: &'static str,
    },

    /// The payload hash is not 64 hexadecimal digits.
    #[error(
        "invalid payload hash: give the SHA-256 of the body as 64 hexadecimal digits, or use \
         PayloadHash::Unsigned or PayloadHash::EmptyBody"
    )]
    InvalidPayloadHash,

    /// SigV4a: the secret derives no P-256 key within the 254 counters aws-c-auth tries
    /// (no secret is known to do so; each counter fails with a chance of about 2^-32).
    #[error(
        "these credentials derive no SigV4a key (after 254 tries): sign with SigV4, or use \
         another access key"
    )]
    NoSigV4aKey,

    /// A SigV4a public key that is not a point on P-256.
    #[error("the public key is not a point on the P-256 curve: check its X and Y coordinates")]
    InvalidPublicKey,

    /// A SigV4a region set that is not `*` or a comma-separated list of region names.
    #[error("invalid region set {value:?}: {reason}")]
    InvalidRegionSet {
        /// The set that was given.
        value: String,
        /// What is wrong and how to fix it.
        reason: &'static str,
    },

    /// A target that only SigV4a can sign (an S3 Multi-Region Access Point), without the
    /// `sigv4a` feature or with a SigV4 presigner.
    #[error("{what} needs SigV4a: {hint}")]
    NeedsSigV4a {
        /// What was asked for.
        what: &'static str,
        /// How to sign it.
        hint: &'static str,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
