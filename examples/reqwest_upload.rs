//! A reqwest client uploading through a presigned URL: the method, the URL and every
//! header the signature covers come from the `PresignedUrl` (here as an `http::Request`).
//!
//! ```sh
//! cargo run --example reqwest_upload --features http -- https://my-bucket.s3.amazonaws.com/a.txt
//! ```
//! It signs with AWS's documented example keys, so against AWS it gets 403: give it a URL
//! your credentials can write, or point it at a local store.

use std::time::SystemTime;

use sigv4_presign::{Credentials, PresignRequest, Presigner};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:9000/bucket/hello.txt".into());
    // The service that hands out links holds the keys; the client holds only the link.
    let presigner = Presigner::new(
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )?,
        "us-east-1",
        "s3",
    )?;
    let signed = presigner.presign(
        &PresignRequest::put(url.as_str()).header("content-type", "text/plain"),
        SystemTime::now(),
    )?;

    // The client side: the request, headers included, then the body.
    let (parts, ()) = signed.to_http_request()?.into_parts();
    let response = reqwest::Client::new()
        .request(parts.method, signed.url())
        .headers(parts.headers)
        .body("hello from reqwest")
        .send()
        .await?;
    println!("{} {}", response.status(), signed.redacted_url());
    Ok(())
}
