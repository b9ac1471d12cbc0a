//! Presigning speed, beside the cryptographic floor in the same run.
//!
//! `cargo bench --bench presign`; the side-by-side comparison with other crates lives in
//! `benches/compare` (`cargo bench --manifest-path benches/compare/Cargo.toml`).

#[path = "support/floor.rs"]
mod floor;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sigv4_presign::s3::{Bucket, ChecksumAlgorithm};
use sigv4_presign::verify::{ReceivedRequest, Verifier};
use sigv4_presign::{Credentials, PresignRequest, Presigner, SigningKey};
use time::macros::{date, datetime};

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt";

fn credentials() -> Credentials {
    Credentials::new(KEY_ID, SECRET).unwrap()
}

fn benches(c: &mut Criterion) {
    let time = datetime!(2013-05-24 0:00 UTC);
    let request = PresignRequest::get(URL).expires_in(Duration::from_secs(86400));
    let presigner = Presigner::new(credentials(), "us-east-1", "s3").unwrap();

    // The floor, for the very same canonical request and string to sign.
    let signed = presigner.presign(&request, time).unwrap();
    let (creq, sts) = (signed.canonical_request(), signed.string_to_sign());
    let key = *SigningKey::derive(&credentials(), date!(2013 - 05 - 24), "us-east-1", "s3")
        .unwrap()
        .as_bytes();
    let prefixed = format!("AWS4{SECRET}");
    let mut group = c.benchmark_group("floor");
    group.bench_function("sha256_creq+hmac_sts", |b| {
        b.iter(|| {
            floor::floor(
                black_box(creq.as_bytes()),
                black_box(sts.as_bytes()),
                black_box(&key),
            )
        })
    });
    group.bench_function("with_key_derivation", |b| {
        b.iter(|| {
            floor::floor_with_derivation(
                black_box(creq.as_bytes()),
                black_box(sts.as_bytes()),
                black_box(prefixed.as_bytes()),
                b"20130524",
                b"us-east-1",
                b"s3",
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("presign");
    group.bench_function("s3_get/reused_presigner", |b| {
        b.iter(|| {
            presigner
                .presign(black_box(&request), black_box(time))
                .unwrap()
        })
    });
    let creds = credentials();
    group.bench_function("s3_get/fresh_presigner", |b| {
        b.iter(|| {
            let presigner = Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
            presigner
                .presign(black_box(&request), black_box(time))
                .unwrap()
        })
    });
    let with_token = Presigner::new(
        credentials()
            .with_session_token(
                "FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKENQQ+Tq2zYdP1RCuQA0o/kl9TEXAMPLE==",
            )
            .unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    group.bench_function("s3_get/session_token", |b| {
        b.iter(|| {
            with_token
                .presign(black_box(&request), black_box(time))
                .unwrap()
        })
    });
    let busy = PresignRequest::get(URL)
        .header("Content-Type", "image/png")
        .header("x-amz-meta-owner", "user-42")
        .header("Range", "bytes=0-1023")
        .query(
            "response-content-disposition",
            "attachment; filename=\"a b.png\"",
        )
        .query("response-cache-control", "no-cache")
        .query("versionId", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY");
    group.bench_function("s3_get/3_headers_3_params", |b| {
        b.iter(|| {
            presigner
                .presign(black_box(&busy), black_box(time))
                .unwrap()
        })
    });
    let bucket = Bucket::new("examplebucket", "us-east-1").unwrap();
    group.bench_function("s3_put/checksum_header", |b| {
        b.iter(|| {
            bucket
                .put_object(black_box("uploads/photo.jpg"))
                .checksum(ChecksumAlgorithm::Crc32c, "yZRlqg==")
                .presign(&presigner, black_box(time))
                .unwrap()
        })
    });
    let long_key: String = (0..1024)
        .map(|i| if i % 50 == 49 { '/' } else { 'k' })
        .collect();
    let long_request =
        PresignRequest::get(format!("https://examplebucket.s3.amazonaws.com/{long_key}"));
    group.bench_function("s3_get/1kib_key", |b| {
        b.iter(|| {
            presigner
                .presign(black_box(&long_request), black_box(time))
                .unwrap()
        })
    });
    group.bench_function("signing_key/derive", |b| {
        b.iter(|| {
            SigningKey::derive(black_box(&creds), date!(2013 - 05 - 24), "us-east-1", "s3").unwrap()
        })
    });
    group.finish();

    // Verification of the S3 documentation's URL beside presigning it, in one group: the
    // store is a map from key id to credentials, as a server's would be; "hot key" is a
    // request from a key seen before (its signing key cached), "no key cache" derives the
    // key every time.
    let store: HashMap<String, Credentials> = [(KEY_ID.to_string(), credentials())].into();
    let hot = Verifier::new(store.clone(), "us-east-1", "s3").unwrap();
    let cold = Verifier::new(store, "us-east-1", "s3")
        .unwrap()
        .with_key_cache(0);
    let target = signed.url()["https://examplebucket.s3.amazonaws.com".len()..].to_owned();
    let headers = [("host", "examplebucket.s3.amazonaws.com")];
    let received = ReceivedRequest::new("GET", &target, &headers);
    let mut group = c.benchmark_group("verify_vs_presign");
    group.bench_function("presign/s3_get", |b| {
        b.iter(|| {
            presigner
                .presign(black_box(&request), black_box(time))
                .unwrap()
        })
    });
    group.bench_function("verify/s3_get/hot_key", |b| {
        b.iter(|| hot.verify(black_box(&received), black_box(time)).unwrap())
    });
    group.bench_function("verify/s3_get/no_key_cache", |b| {
        b.iter(|| cold.verify(black_box(&received), black_box(time)).unwrap())
    });
    group.finish();

    // Throughput: one presigner shared by one and by two threads.
    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Elements(1));
    for threads in [1u64, 2] {
        group.bench_function(format!("s3_get/{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..threads {
                        s.spawn(|| {
                            for _ in 0..iters / threads {
                                black_box(presigner.presign(&request, time).unwrap());
                            }
                        });
                    }
                });
                start.elapsed()
            })
        });
    }
    group.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
