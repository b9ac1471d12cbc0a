//! Presigned S3 operations, with S3's addressing, key encoding and per-operation
//! parameters built in.
//!
//! A [`Bucket`] knows where objects live (name, region, [`Endpoint`], [`Addressing`]); its
//! operation methods return an [`S3Request`] whose options fit the operation, and
//! [`S3Request::presign`] signs it with a [`Presigner`](crate::Presigner) for the bucket's
//! region.
//!
//! ```
//! use std::time::Duration;
//! use sigv4_presign::s3::{Bucket, Endpoint};
//! use sigv4_presign::{Credentials, Presigner};
//! use time::macros::datetime;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "secret")?;
//! let now = datetime!(2024-10-01 9:00 UTC);
//!
//! // AWS: virtual-hosted, regional endpoint.
//! let presigner = Presigner::new(creds.clone(), "eu-west-1", "s3")?;
//! let bucket = Bucket::new("my-bucket", "eu-west-1")?;
//! let get = bucket.get_object("a b/c.txt").expires_in(Duration::from_secs(300)).presign(&presigner, now)?;
//! assert!(get.url().starts_with("https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.txt?"));
//!
//! // MinIO on an IP address: path-style, chosen automatically.
//! let local = Presigner::new(creds.clone(), "us-east-1", "s3")?;
//! let minio = Bucket::new("uploads", "us-east-1")?.with_endpoint(Endpoint::custom("http://127.0.0.1:9000")?);
//! let put = minio.put_object("report.pdf").content_type("application/pdf").presign(&local, now)?;
//! assert!(put.url().starts_with("http://127.0.0.1:9000/uploads/report.pdf?"));
//!
//! // Cloudflare R2 signs with region `auto`.
//! let r2 = Presigner::new(creds, "auto", "s3")?;
//! let bucket = Bucket::new("assets", "auto")?.with_endpoint(Endpoint::cloudflare_r2("0123456789abcdef0123456789abcdef")?);
//! let get = bucket.get_object("logo.svg").presign(&r2, now)?;
//! assert!(get.url().starts_with("https://assets.0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/logo.svg?"));
//! # Ok::<(), sigv4_presign::Error>(())
//! ```
//!
//! Keys are taken raw and never normalised: `a/../b`, `a//b`, `/leading` and `?#%+` all
//! name the object they spell.

mod access_point;
mod bucket;
mod content_disposition;
mod directory_bucket;
mod endpoint;
pub mod multipart;
mod operations;
mod options;
mod post_policy;

pub use bucket::{Addressing, Bucket, MAX_KEY_LEN, S3_EXPRESS_SERVICE};
pub use content_disposition::{content_disposition_attachment, content_disposition_inline};
pub use endpoint::Endpoint;
pub use operations::{ChecksumAlgorithm, S3Request, op};
pub use post_policy::{PostPolicy, PresignedPost};
