//! Interoperation with the ecosystem's types, each behind its feature: `http` (requests in
//! and out, methods, the verifier), `url` (`url::Url` in and out) and `serde`
//! (`Serialize` for what the crate hands back). A leaf: it uses the signing core, the S3
//! layer, the tokens and the verifier, which never use it.

#[cfg(feature = "http")]
mod with_http;
#[cfg(feature = "serde")]
mod with_serde;
#[cfg(feature = "url")]
mod with_url;
