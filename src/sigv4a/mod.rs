//! SigV4a (`AWS4-ECDSA-P256-SHA256`): one signature valid in a set of regions, made with an
//! ECDSA P-256 key derived from the credentials. S3 Multi-Region Access Points accept
//! only SigV4a; a link valid in every region is what a global service hands out.
//!
//! Feature `sigv4a` (off by default; adds RustCrypto's `p256`).
//!
//! # What differs from SigV4
//!
//! | | SigV4 | SigV4a |
//! |---|---|---|
//! | `X-Amz-Algorithm` | `AWS4-HMAC-SHA256` | `AWS4-ECDSA-P256-SHA256` |
//! | credential scope | `DATE/REGION/SERVICE/aws4_request` | `DATE/SERVICE/aws4_request` |
//! | regions | the scope's one | `X-Amz-Region-Set`: `*` or `us-east-1,us-west-2`, signed |
//! | key | HMAC chain, per day and region | P-256 key derived once from the secret ([`SigningKey`]) |
//! | signature | HMAC-SHA256, 64 hex digits | ECDSA over the string to sign, DER, about 140 hex digits |
//!
//! The canonical request is SigV4's: the same paths, query, headers, payload hash and
//! [`Settings`](crate::Settings). The result is a [`PresignedUrl`](crate::PresignedUrl)
//! like any other (its [`region`](crate::PresignedUrl::region) is the region set).
//!
//! # Nonces
//!
//! ECDSA needs a fresh secret nonce per signature. This crate takes it from RFC 6979
//! (derived from the key and the message), not from a random number generator: `no_std`
//! and wasm targets have none, and a deterministic nonce cannot be weakened by a poor one.
//! The same request at the same second therefore gives the same URL; AWS's own signers
//! use random nonces, so their signatures differ from run to run, and the tests check
//! every signature by verification, never by equality.
//!
//! # Example
//!
//! ```
//! use sigv4_presign::sigv4a::{Presigner, RegionSet};
//! use sigv4_presign::{Credentials, PresignRequest};
//! use time::macros::datetime;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
//! let presigner = Presigner::new(creds, "us-east-1,us-west-2".parse()?, "s3")?;
//! let signed = presigner.presign(
//!     &PresignRequest::get("https://example-bucket.s3.amazonaws.com/report.pdf"),
//!     datetime!(2024-05-01 12:00 UTC),
//! )?;
//! assert!(signed.url().contains("&X-Amz-Region-Set=us-east-1%2Cus-west-2&"));
//! assert_eq!(signed.region(), "us-east-1,us-west-2");
//! # Ok::<(), sigv4_presign::Error>(())
//! ```

mod der;
mod key;
mod presigner;
mod region_set;

pub use key::{PublicKey, SigningKey};
pub use presigner::Presigner;
pub use region_set::RegionSet;
