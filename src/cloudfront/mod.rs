//! CloudFront signed URLs and signed cookies, offline (feature `cloudfront`).
//!
//! A distribution that restricts viewer access trusts a *key group*: public keys uploaded
//! to CloudFront, each with an ID (`K2JCJMDEHXQW5F`). The matching private key signs a
//! *policy* (which URL, until when, from when, from which addresses); CloudFront checks
//! the signature with the public key. Keys are RSA-2048 or ECDSA P-256, signing over
//! SHA-1 (CloudFront's default) or SHA-256 (named in the URL or cookie).
//!
//! ```
//! use sigv4_presign::cloudfront::{HashAlgorithm, Policy, PrivateKey, Signer};
//! use time::macros::datetime;
//!
//! // Parse the key once (PKCS#1, SEC1 or PKCS#8 PEM) and keep the signer.
//! let key = PrivateKey::from_pem(include_str!("../../tests/vectors/cloudfront/ec-sec1.pem"))?;
//! let signer = Signer::new("K2JCJMDEHXQW5F", key)?.with_hash_algorithm(HashAlgorithm::Sha256);
//!
//! // A canned policy: this URL, until a time.
//! let until = datetime!(2026-01-01 0:00 UTC);
//! let url = signer.sign_url("https://d111111abcdef8.cloudfront.net/report.pdf", &Policy::new(until)?)?;
//! assert!(url.contains("?Expires=1767225600&Signature="));
//! assert!(url.ends_with("&Key-Pair-Id=K2JCJMDEHXQW5F&Hash-Algorithm=SHA256"));
//!
//! // A custom policy: every file under /videos/, from one network, from a start date.
//! let policy = Policy::new(until)?
//!     .with_resource("https://d111111abcdef8.cloudfront.net/videos/*")
//!     .with_ip_range("192.0.2.0/24")?
//!     .with_date_greater_than(datetime!(2025-12-01 0:00 UTC))?;
//! let url = signer.sign_url("https://d111111abcdef8.cloudfront.net/videos/intro.mp4", &policy)?;
//! assert!(url.contains("?Policy="));
//!
//! // The same grant as cookies, for every request under /videos/.
//! let cookies = signer.sign_cookies("https://d111111abcdef8.cloudfront.net/videos/*", &policy)?;
//! let names: Vec<&str> = cookies.iter().map(|(name, _)| name).collect();
//! assert_eq!(names, ["CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id", "CloudFront-Hash-Algorithm"]);
//! # Ok::<(), sigv4_presign::cloudfront::CloudFrontError>(())
//! ```
//!
//! The policy JSON is written as CloudFront's documentation (and botocore) writes it,
//! byte for byte, and the resource is escaped as a JSON string, so no resource can add a
//! condition. RSA signatures are deterministic (PKCS#1 v1.5) and match botocore's and
//! `aws cloudfront sign`'s; ECDSA signatures use RFC 6979 nonces. Private keys are wiped
//! when dropped. The RSA private-key operation is `rsa` 0.10's, on `crypto-bigint`'s
//! constant-time arithmetic (the fix for RUSTSEC-2023-0071); built without an RNG, it
//! signs without blinding, and `rsa`'s maintainers continue its constant-time hardening.

mod cookies;
mod error;
mod key;
mod policy;
mod signer;
mod verify;

pub use cookies::{CookieAttributes, SameSite, SignedCookies};
pub use error::{CloudFrontError, CloudFrontVerifyError};
pub use key::{HashAlgorithm, PrivateKey, PublicKey};
pub use policy::{IpRange, Policy};
pub use signer::Signer;
pub use verify::{VerifiedAccess, Verifier};
