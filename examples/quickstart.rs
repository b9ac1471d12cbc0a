//! Prints a presigned S3 download link, with nothing configured.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! It signs with AWS's documented example credentials at the documented time, so it prints
//! the URL of the S3 documentation's example. Replace them with your own (and
//! `presign_now`) to get a link that works.

use std::time::Duration;

use sigv4_presign::{Credentials, PresignRequest, Presigner};
use time::macros::datetime;

fn main() -> Result<(), sigv4_presign::Error> {
    let credentials = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )?;
    let presigner = Presigner::new(credentials, "us-east-1", "s3")?;

    let request = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
        .expires_in(Duration::from_secs(86400));
    let signed = presigner.presign(&request, datetime!(2013-05-24 0:00 UTC))?;

    println!("{}", signed.url());
    Ok(())
}
