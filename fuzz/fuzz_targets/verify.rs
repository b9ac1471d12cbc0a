//! Verifying arbitrary received requests never panics.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4_presign::verify::{ReceivedRequest, Verifier};
use sigv4_presign::{Credentials, Settings};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    method: &'a str,
    target: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    unix_time: i64,
    generic: bool,
    /// A prefix that makes the target look presigned, so the fuzzer reaches deep checks.
    presigned_prefix: bool,
    /// That prefix in SigV4a's form (its credential, region set and DER signature).
    sigv4a: bool,
}

fuzz_target!(|input: Input<'_>| {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let settings = if input.generic { Settings::aws_service() } else { Settings::s3() };
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", "s3").unwrap().with_settings(settings);
    let target = if input.presigned_prefix && input.sigv4a {
        format!(
            "/k?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240501%2Fs3%2Faws4_request&X-Amz-Date=20240501T120000Z&X-Amz-Expires=600&X-Amz-Region-Set=%2A&X-Amz-SignedHeaders=host&{}",
            input.target
        )
    } else if input.presigned_prefix {
        format!(
            "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240501%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240501T120000Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&{}",
            input.target
        )
    } else {
        input.target.to_owned()
    };
    let Ok(now) = time::OffsetDateTime::from_unix_timestamp(input.unix_time % 253_402_300_799) else { return };
    let request = ReceivedRequest::new(input.method, &target, &input.headers);
    let _ = verifier.verify(&request, now);
    let _ = verifier.canonical_request(&request);
});
