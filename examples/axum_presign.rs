//! An axum service that hands out presigned upload links as JSON: the browser asks
//! `GET /upload-url/NAME` and PUTs the file straight to the bucket.
//!
//! ```sh
//! AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... S3_BUCKET=my-bucket AWS_REGION=eu-west-1 \
//!     cargo run --example axum_presign --features http,serde
//! curl localhost:3000/upload-url/cat.png
//! # {"url":"https://my-bucket.s3.eu-west-1.amazonaws.com/uploads/cat.png?X-Amz-...",
//! #  "method":"PUT","headers":{"content-type":"image/png"},"expires_at":"2024-05-01T12:10:00Z"}
//! ```

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use sigv4_presign::credentials::{AwsConfig, Env};
use sigv4_presign::s3::Bucket;
use sigv4_presign::{PresignedUrl, Presigner};

struct App {
    presigner: Presigner,
    bucket: Bucket,
}

/// A link that uploads one PNG under `uploads/NAME` within ten minutes.
async fn upload_url(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
) -> Result<Json<PresignedUrl>, (StatusCode, String)> {
    app.bucket
        .put_object(format!("uploads/{name}"))
        .content_type("image/png")
        .if_none_match()
        .expires_in(Duration::from_secs(600))
        .presign(&app.presigner, SystemTime::now())
        .map(Json)
        .map_err(|e| (StatusCode::BAD_REQUEST, e.to_string()))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Credentials and region found as the AWS CLI finds them.
    let config = AwsConfig::load(Env::from_process())?;
    let region = config.region().ok_or("set AWS_REGION")?.to_string();
    let (credentials, _source) = config.credentials()?;
    let bucket = Bucket::new(std::env::var("S3_BUCKET")?, &region)?;
    let app = Arc::new(App {
        presigner: Presigner::new(credentials, &region, "s3")?,
        bucket,
    });
    let router = Router::new()
        .route("/upload-url/{name}", get(upload_url))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://127.0.0.1:3000/upload-url/NAME");
    axum::serve(listener, router).await?;
    Ok(())
}
