//! The SigV4 signing core, one step of AWS's algorithm per file.
//!
//! | step of AWS's documentation | file |
//! |---|---|
//! | credentials | `credentials` ([`Credentials`]) |
//! | URI encoding | `encoding` |
//! | the request and where it goes | `request` ([`PresignRequest`]), `target` ([`Target`]), `url`, `host` |
//! | 1. canonical request | `canonical_request`, made of `canonical_uri` (the path), `canonical_query` and `auth_query` (the query, the signer's parameters among it), `canonical_headers` |
//! | 2. string to sign | `string_to_sign`, with `amz_date` ([`AmzDate`]) and `scope` |
//! | 3. signing key | `signing_key` ([`SigningKey`]), on `digest` (SHA-256 and HMAC) |
//! | 4. signature and URL | `presigner` ([`Presigner`]), `presigned_url` ([`PresignedUrl`]), `hex`; `rotating` ([`RotatingPresigner`], with `std`) |
//! | what differs between services | `settings` ([`Settings`]) |
//! | what a presigner keeps between signatures | `cache` |
//! | the query parameters' names | [`params`] |
//! | hiding tokens in what is shown | `redact` ([`redact_session_tokens`]) |
//!
//! The crate root re-exports the types most users need; this module adds the finer parts:
//! a [`Target`] built from its parts, SigV4's timestamp format, the parameter names.

mod amz_date;
mod auth_query;
mod cache;
mod canonical_headers;
mod canonical_query;
mod canonical_request;
mod canonical_uri;
#[cfg(feature = "std")]
pub(crate) mod clock;
mod credentials;
mod decimal;
mod digest;
mod encoding;
mod hex;
mod host;
mod inputs;
pub mod params;
mod presigned_url;
mod presigner;
mod redact;
mod request;
#[cfg(feature = "std")]
mod rotating;
mod scope;
mod settings;
mod signing_key;
mod string_to_sign;
mod target;
mod timestamp;
mod url;
mod url_writer;

pub use crate::rfc3339::Rfc3339;
pub use amz_date::{AmzDate, parse_timestamp};
#[cfg(all(
    feature = "std",
    target_arch = "wasm32",
    target_os = "unknown",
    not(feature = "js-clock")
))]
pub use clock::NoClockOnThisTarget;
pub use credentials::Credentials;
pub use inputs::{IntoMethod, IntoUrl};
pub use presigned_url::PresignedUrl;
pub use presigner::Presigner;
pub use redact::{REDACTED, redact_session_tokens};
pub use request::{DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN, PresignRequest};
#[cfg(feature = "std")]
pub use rotating::RotatingPresigner;
pub use settings::{
    PathEncoding, PayloadHash, S3_SERVICES, SessionTokenMode, Settings, Sha256Hex, TokenParameter,
    is_s3_service,
};
pub use signing_key::SigningKey;
pub use target::{Scheme, Target};
pub use timestamp::Timestamp;

#[cfg(feature = "sigv4a")]
pub(crate) use auth_query::push_signed_header_names;
pub(crate) use canonical_headers::{Header, is_token, merge_headers, push_header_value};
pub(crate) use canonical_query::CanonicalQuery;
pub(crate) use canonical_query::{Piece, sort_received};
// What the SigV4a presigner shares with this one.
pub(crate) use canonical_request::CanonicalRequest;
pub(crate) use decimal::push_u64;
pub(crate) use digest::{HmacKey, Sha256Stream, constant_time_eq};
#[cfg(test)]
pub(crate) use encoding::push_canonical;
pub(crate) use encoding::{
    Decoded, PATH, UNRESERVED, escapes_are_valid, hex_value, is_plain_path, is_unreserved,
    percent_encode_byte, push_encoded,
};
#[cfg(feature = "sigv4a")]
pub(crate) use hex::push_hex;
pub(crate) use hex::{decode_32_lower, encode_32};
pub(crate) use host::is_ipv4_like;
pub(crate) use request::{check_expires, fit_to_credentials};
#[cfg(feature = "sigv4a")]
pub(crate) use scope::sigv4a_scope;
pub(crate) use scope::{TERMINATOR, check_aws_region, check_scope_part, credential_scope};
pub(crate) use string_to_sign::StringToSign;
#[cfg(feature = "std")]
pub(crate) use timestamp::to_system_time;
#[cfg(feature = "sigv4a")]
pub(crate) use {
    canonical_query::{collect_pieces, write_sorted},
    canonical_uri::push_url_path,
    presigned_url::{Span, URL_TOO_LONG, UrlLayout},
    request::check_request,
    string_to_sign::sigv4a_string_to_sign,
};
