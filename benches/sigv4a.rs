//! SigV4a beside SigV4 in one run: presigning with the key derived once, the one-off key
//! derivation, verification, and the floor that bounds SigV4a (one ECDSA P-256 signature,
//! or one verification, over the same string to sign).
//!
//! `cargo bench --bench sigv4a --features sigv4a`

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use p256::ecdsa::signature::{Signer, Verifier as _};
use sigv4_presign::sigv4a::{self, RegionSet, SigningKey};
use sigv4_presign::verify::{ReceivedRequest, Verifier};
use sigv4_presign::{Credentials, PresignRequest, Presigner};
use time::macros::datetime;

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const HOST: &str = "examplebucket.s3.amazonaws.com";

fn benches(c: &mut Criterion) {
    let credentials = Credentials::new(KEY_ID, SECRET).unwrap();
    let time = datetime!(2013-05-24 0:00 UTC);
    let request = PresignRequest::get(format!("https://{HOST}/test.txt"))
        .expires_in(Duration::from_secs(86400));
    let v4 = Presigner::new(credentials.clone(), "us-east-1", "s3").unwrap();
    let v4a = sigv4a::Presigner::new(credentials.clone(), RegionSet::any(), "s3").unwrap();

    let store: HashMap<String, Credentials> = [(KEY_ID.to_string(), credentials.clone())].into();
    let verifier = Verifier::new(store.clone(), "us-east-1", "s3").unwrap();
    let cold = Verifier::new(store, "us-east-1", "s3")
        .unwrap()
        .with_key_cache(0);
    let v4_url = v4.presign(&request, time).unwrap();
    let v4a_url = v4a.presign(&request, time).unwrap();
    let v4_target = v4_url.url()[8 + HOST.len()..].to_owned();
    let v4a_target = v4a_url.url()[8 + HOST.len()..].to_owned();
    let headers = [("host", HOST)];
    let v4_received = ReceivedRequest::new("GET", &v4_target, &headers);
    let v4a_received = ReceivedRequest::new("GET", &v4a_target, &headers);

    // The floor: p256 signing and verifying the same string to sign, with a key made
    // outside the loop.
    let sts = v4a_url.string_to_sign();
    let floor_key = p256::ecdsa::SigningKey::from_slice(&[7; 32]).unwrap();
    let floor_signature: p256::ecdsa::Signature = floor_key.sign(sts.as_bytes());

    let mut group = c.benchmark_group("sigv4_vs_sigv4a");
    group.bench_function("sigv4/presign", |b| {
        b.iter(|| v4.presign(black_box(&request), black_box(time)).unwrap())
    });
    group.bench_function("sigv4a/presign", |b| {
        b.iter(|| v4a.presign(black_box(&request), black_box(time)).unwrap())
    });
    group.bench_function("sigv4a/derive_key", |b| {
        b.iter(|| SigningKey::derive(black_box(&credentials)).unwrap())
    });
    group.bench_function("floor/ecdsa_p256_sign", |b| {
        b.iter(|| -> p256::ecdsa::Signature { floor_key.sign(black_box(sts.as_bytes())) })
    });
    group.bench_function("sigv4/verify/hot_key", |b| {
        b.iter(|| {
            verifier
                .verify(black_box(&v4_received), black_box(time))
                .unwrap()
        })
    });
    group.bench_function("sigv4a/verify/hot_key", |b| {
        b.iter(|| {
            verifier
                .verify(black_box(&v4a_received), black_box(time))
                .unwrap()
        })
    });
    group.bench_function("sigv4a/verify/no_key_cache", |b| {
        b.iter(|| {
            cold.verify(black_box(&v4a_received), black_box(time))
                .unwrap()
        })
    });
    group.bench_function("floor/ecdsa_p256_verify", |b| {
        b.iter(|| {
            floor_key
                .verifying_key()
                .verify(black_box(sts.as_bytes()), black_box(&floor_signature))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
