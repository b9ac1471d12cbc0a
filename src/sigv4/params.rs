//! The names SigV4 gives the query parameters of a presigned request, and the algorithm
//! name, each spelled once.
//!
//! ```
//! use sigv4_presign::sigv4::params;
//!
//! assert_eq!(params::X_AMZ_SIGNATURE, "X-Amz-Signature");
//! assert!(params::is_auth_parameter("x-amz-security-token"));
//! ```

/// The algorithm name of SigV4: the first line of the string to sign and the value of
/// `X-Amz-Algorithm`.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The algorithm name of SigV4a (ECDSA P-256 over SHA-256), in the same two places.
pub const ALGORITHM_SIGV4A: &str = "AWS4-ECDSA-P256-SHA256";

/// Each name once, with `&NAME=` beside it for the writer (a constant of known length
/// is copied without a call).
macro_rules! names {
    ($($(#[$doc:meta])* $name:ident, $joined:ident = $text:literal;)*) => {$(
        $(#[$doc])*
        pub const $name: &str = $text;
        #[allow(dead_code)]
        pub(crate) const $joined: &str = concat!("&", $text, "=");
    )*};
}

names! {
    /// Names the signing algorithm.
    X_AMZ_ALGORITHM, AND_X_AMZ_ALGORITHM = "X-Amz-Algorithm";
    /// `ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request`.
    X_AMZ_CREDENTIAL, AND_X_AMZ_CREDENTIAL = "X-Amz-Credential";
    /// The signing time, `YYYYMMDD'T'HHMMSS'Z'`.
    X_AMZ_DATE, AND_X_AMZ_DATE = "X-Amz-Date";
    /// Seconds the URL stays valid.
    X_AMZ_EXPIRES, AND_X_AMZ_EXPIRES = "X-Amz-Expires";
    /// The session token of temporary credentials.
    X_AMZ_SECURITY_TOKEN, AND_X_AMZ_SECURITY_TOKEN = "X-Amz-Security-Token";
    /// S3 Express One Zone: the session token of CreateSession credentials, in its place.
    X_AMZ_S3SESSION_TOKEN, AND_X_AMZ_S3SESSION_TOKEN = "X-Amz-S3session-Token";
    /// The signed header names, lower case, sorted, joined with `;`.
    X_AMZ_SIGNED_HEADERS, AND_X_AMZ_SIGNED_HEADERS = "X-Amz-SignedHeaders";
    /// The signature, 64 lower-case hex digits (SigV4a: a DER-encoded ECDSA signature in
    /// lower-case hex); always the last parameter.
    X_AMZ_SIGNATURE, AND_X_AMZ_SIGNATURE = "X-Amz-Signature";
    /// SigV4a only: the regions the signature is valid in, joined with `,`, or `*`.
    X_AMZ_REGION_SET, AND_X_AMZ_REGION_SET = "X-Amz-Region-Set";
}

/// Every parameter name the signer writes itself, which a request may not carry.
pub const AUTH_PARAMETERS: [&str; 9] = [
    X_AMZ_ALGORITHM,
    X_AMZ_CREDENTIAL,
    X_AMZ_DATE,
    X_AMZ_EXPIRES,
    X_AMZ_SECURITY_TOKEN,
    X_AMZ_SIGNED_HEADERS,
    X_AMZ_SIGNATURE,
    X_AMZ_REGION_SET,
    X_AMZ_S3SESSION_TOKEN,
];

/// Whether `name` is one of [`AUTH_PARAMETERS`], compared without regard to case.
pub fn is_auth_parameter(name: &str) -> bool {
    AUTH_PARAMETERS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
}

/// The parameters the signer adds to the canonical query, in canonical (sorted) order;
/// the signature, added after signing, is not among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthParam {
    Algorithm,
    Credential,
    Date,
    Expires,
    SecurityToken,
    SignedHeaders,
    /// The token's place under S3 Express One Zone's name (see
    /// [`TokenParameter`](crate::sigv4::TokenParameter)); not in [`SIGNED_AUTH_PARAMS`],
    /// where `SecurityToken` stands for whichever name the token has.
    S3SessionToken,
}

/// Every [`AuthParam`], in canonical order.
pub(crate) const SIGNED_AUTH_PARAMS: [AuthParam; 6] = [
    AuthParam::Algorithm,
    AuthParam::Credential,
    AuthParam::Date,
    AuthParam::Expires,
    AuthParam::SecurityToken,
    AuthParam::SignedHeaders,
];

impl AuthParam {
    /// The parameter's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            AuthParam::Algorithm => X_AMZ_ALGORITHM,
            AuthParam::Credential => X_AMZ_CREDENTIAL,
            AuthParam::Date => X_AMZ_DATE,
            AuthParam::Expires => X_AMZ_EXPIRES,
            AuthParam::SecurityToken => X_AMZ_SECURITY_TOKEN,
            AuthParam::SignedHeaders => X_AMZ_SIGNED_HEADERS,
            AuthParam::S3SessionToken => X_AMZ_S3SESSION_TOKEN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_forms() {
        assert_eq!(AND_X_AMZ_EXPIRES, "&X-Amz-Expires=");
        assert_eq!(AND_X_AMZ_SIGNATURE, "&X-Amz-Signature=");
    }

    #[test]
    fn signed_params_are_in_canonical_order() {
        let names = SIGNED_AUTH_PARAMS.map(AuthParam::name);
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        assert!(names.iter().all(|n| is_auth_parameter(n)));
        assert!(is_auth_parameter("X-AMZ-SIGNATURE"));
        assert!(!is_auth_parameter("X-Amz-Signatures"));
        assert!(!is_auth_parameter("versionId"));
    }
}
