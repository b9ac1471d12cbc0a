//! Presigning speed. `cargo bench` runs it; see the README's performance section.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use sigv4_presign::{Credentials, PresignRequest, Presigner, SigningKey};
use time::macros::datetime;

fn credentials() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap()
}

fn benches(c: &mut Criterion) {
    let time = datetime!(2013-05-24 0:00 UTC);
    let request = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
        .expires_in(Duration::from_secs(86400));

    let presigner = Presigner::new(credentials(), "us-east-1", "s3").unwrap();
    c.bench_function("s3_get/reused_presigner", |b| {
        b.iter(|| {
            presigner
                .presign(black_box(&request), black_box(time))
                .unwrap()
        })
    });

    let creds = credentials();
    c.bench_function("s3_get/fresh_presigner", |b| {
        b.iter(|| {
            let presigner = Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
            presigner
                .presign(black_box(&request), black_box(time))
                .unwrap()
        })
    });

    c.bench_function("signing_key/derive", |b| {
        let day = time::macros::date!(2013 - 05 - 24);
        b.iter(|| SigningKey::derive(black_box(&creds), day, "us-east-1", "s3"))
    });
}

criterion_group!(group, benches);
criterion_main!(group);
