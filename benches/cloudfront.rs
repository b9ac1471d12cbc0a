//! CloudFront signing beside a SigV4 presign, in one run: one signed URL with RSA-2048 and
//! with ECDSA P-256 (custom policy, key parsed once), each over SHA-1 and SHA-256.
//!
//! `cargo bench --bench cloudfront --features cloudfront`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use sigv4_presign::cloudfront::{HashAlgorithm, Policy, PrivateKey, Signer};
use sigv4_presign::{Credentials, PresignRequest, Presigner};
use time::macros::datetime;

fn benches(c: &mut Criterion) {
    let time = datetime!(2025-12-01 0:00 UTC);
    let presigner = Presigner::new(
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let request = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
        .expires_in(Duration::from_secs(86400));
    let url = "https://d111111abcdef8.cloudfront.net/images/photo.jpg";
    let policy = Policy::new(datetime!(2026-01-01 0:00 UTC))
        .unwrap()
        .with_resource("https://d111111abcdef8.cloudfront.net/images/*");
    let signer = |pem: &str, hash| {
        Signer::new("K2JCJMDEHXQW5F", PrivateKey::from_pem(pem).unwrap())
            .unwrap()
            .with_hash_algorithm(hash)
    };
    let rsa = include_str!("../tests/vectors/cloudfront/rsa-pkcs1.pem");
    let ec = include_str!("../tests/vectors/cloudfront/ec-sec1.pem");

    let mut group = c.benchmark_group("cloudfront_vs_sigv4");
    group.bench_function("sigv4/presign", |b| {
        b.iter(|| {
            presigner
                .presign(black_box(&request), black_box(time))
                .unwrap()
        })
    });
    for (name, pem, hash) in [
        ("rsa2048_sha1", rsa, HashAlgorithm::Sha1),
        ("rsa2048_sha256", rsa, HashAlgorithm::Sha256),
        ("ecdsa_p256_sha1", ec, HashAlgorithm::Sha1),
        ("ecdsa_p256_sha256", ec, HashAlgorithm::Sha256),
    ] {
        let signer = signer(pem, hash);
        group.bench_function(format!("cloudfront/{name}/sign_url"), |b| {
            b.iter(|| signer.sign_url(black_box(url), black_box(&policy)).unwrap())
        });
    }
    group.bench_function("cloudfront/rsa2048/parse_key", |b| {
        b.iter(|| PrivateKey::from_pem(black_box(rsa)).unwrap())
    });
    group.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
