//! AWS Signature Version 4 presigned URLs, made offline: no SDK, no network, no async
//! runtime, and no clock unless you ask for one.
//!
//! A presigned URL lets a browser, a phone or another service read or write one object in
//! S3 (or call one AWS action) for a limited time without holding credentials. Your server
//! signs; the client talks to storage directly, so file bytes never pass through your
//! server and the long-term secret never leaves it.
//!
//! # From credentials to a URL
//!
//! **1. Credentials.** An access key id and its secret; temporary credentials add a
//! session token. `Debug` never shows the secret or the token.
//!
//! ```
//! use sigv4_presign::Credentials;
//!
//! let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! # Ok::<(), sigv4_presign::Error>(())
//! ```
//!
//! **2. A presigner** for one region and one service. Build it once and share it between
//! threads: it caches the day's signing key (and what each second adds) and needs no lock.
//!
//! ```
//! # use sigv4_presign::*;
//! # let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! let presigner = Presigner::new(creds, "us-east-1", "s3")?;
//! # Ok::<(), sigv4_presign::Error>(())
//! ```
//!
//! `"s3"` (and `s3-outposts`, `s3express`) selects [`Settings::s3`] (paths encoded once and never normalised, body
//! unsigned); any other service selects [`Settings::aws_service`]. Change them with
//! [`Presigner::with_settings`].
//!
//! **3. A request**: method, URL, and optionally headers the client will send, query
//! parameters (raw: never encode them yourself) and an expiry (default one hour, at most
//! seven days).
//!
//! ```
//! # use sigv4_presign::*;
//! use std::time::Duration;
//!
//! let request = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
//!     .expires_in(Duration::from_secs(86400));
//! ```
//!
//! **4. Sign** at an explicit time (or [`Presigner::presign_now`] with the `std` feature).
//!
//! ```
//! # use sigv4_presign::*;
//! # use std::time::Duration;
//! # let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
//! # let presigner = Presigner::new(creds, "us-east-1", "s3")?;
//! # let request = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
//! #     .expires_in(Duration::from_secs(86400));
//! let signed = presigner.presign(&request, time::macros::datetime!(2013-05-24 0:00 UTC))?;
//!
//! // The example of AWS's S3 documentation, byte for byte:
//! assert!(signed.url().ends_with(
//!     "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
//! ));
//! assert_eq!(signed.signature(), "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
//! assert_eq!(signed.headers().len(), 0); // only `host` is signed
//! # Ok::<(), sigv4_presign::Error>(())
//! ```
//!
//! **5. Hand out** [`PresignedUrl::url`]. If you signed extra headers, the client must
//! send them with exactly the values in [`PresignedUrl::headers`].
//!
//! # When AWS answers `SignatureDoesNotMatch`
//!
//! S3 returns the canonical request and string to sign it computed. Compare them with
//! [`PresignedUrl::canonical_request`] and [`PresignedUrl::string_to_sign`]: the
//! first line that differs names the culprit (a header the client did not send, a path
//! encoded differently, a clock off by more than the expiry).
//!
//! # How the pieces map to AWS's documentation
//!
//! | what | module |
//! |---|---|
//! | the algorithm, one step per file | [`sigv4`] |
//! | S3 addressing, operations and POST policies | [`s3`] |
//! | checking a presigned request (server side) | [`verify`] |
//! | service tokens (RDS, DSQL, EKS, ElastiCache, MemoryDB, MSK) | [`tokens`] |
//! | credentials and settings from the environment and `~/.aws` (with `std`) | `credentials` |
//!
//! # Features
//!
//! - `std` (default): [`Presigner::presign_now`]. Without it the crate is `#![no_std]`
//!   and needs only `alloc`.
//! - `cli`: the `presign` command-line tool.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod base64;
#[cfg(feature = "cloudfront")]
pub mod cloudfront;
#[cfg(feature = "std")]
pub mod credentials;
mod error;
mod interop;
mod json;
mod rfc3339;
pub mod s3;
pub mod sigv4;
#[cfg(feature = "sigv4a")]
pub mod sigv4a;
pub mod tokens;
pub mod verify;

pub use error::{Error, Result};
pub use rfc3339::Rfc3339;
#[cfg(feature = "std")]
pub use sigv4::RotatingPresigner;
pub use sigv4::{
    Credentials, DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN, PathEncoding, PayloadHash, PresignRequest,
    PresignedUrl, Presigner, SessionTokenMode, Settings, Sha256Hex, SigningKey, Timestamp,
    TokenParameter,
};

// The README's Rust snippets are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Re-export of the `time` crate, whose [`OffsetDateTime`](time::OffsetDateTime) gives the
/// signing time.
pub use time;
