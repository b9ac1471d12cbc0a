//! The S3 raw-path fallback: a URL signed over its path exactly as written (as botocore
//! signs a pre-encoded URL) verifies, never panics, and any path that verifies in its place
//! names the same key.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use sigv4_presign::verify::{ReceivedRequest, Verifier};
use sigv4_presign::{Credentials, SigningKey};
use time::macros::{date, datetime};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    /// The path as the client wrote it and signed it (after a leading `/`).
    signed_path: &'a str,
    /// The path the request arrives with instead, if any.
    received_path: Option<&'a str>,
}

const QUERY: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240501%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240501T120000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host";
const HOST: &str = "bucket.s3.us-east-1.amazonaws.com";

/// The path percent-decoded, if it decodes to text.
fn decoded(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fuzz_target!(|input: Input<'_>| {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let signed_path = format!("/{}", input.signed_path);
    let canonical = format!("GET\n{signed_path}\n{QUERY}\nhost:{HOST}\n\nhost\nUNSIGNED-PAYLOAD");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n20240501T120000Z\n20240501/us-east-1/s3/aws4_request\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let key = SigningKey::derive(&creds, date!(2024 - 05 - 01), "us-east-1", "s3").unwrap();
    let signature = hex::encode(key.sign(string_to_sign.as_bytes()));
    let path = match input.received_path {
        Some(other) => format!("/{other}"),
        None => signed_path.clone(),
    };
    let target = format!("{path}?{QUERY}&X-Amz-Signature={signature}");
    let headers = [("host", HOST)];
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", "s3").unwrap();
    let now = datetime!(2024-05-01 12:01 UTC);
    match verifier.verify(&ReceivedRequest::new("GET", &target, &headers), now) {
        Ok(verified) => {
            // Whatever arrived names the key that was signed.
            let expected = decoded(&signed_path);
            assert_eq!(Some(verified.path()), expected.as_deref(), "{target}");
            assert_eq!(verified.host(), HOST);
        }
        Err(_) => {
            // The path as signed always verifies when it is a well-formed request target
            // that decodes to text (no control character, `#`, `?` or broken escape).
            let well_formed = input.received_path.is_none()
                && !signed_path.bytes().any(|b| b < b' ' || b == 0x7f || b == b'#' || b == b'?')
                && signed_path.len() < 8 * 1024
                && signed_path.bytes().enumerate().all(|(i, b)| {
                    b != b'%'
                        || signed_path.as_bytes().get(i + 1..i + 3).is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit))
                })
                && decoded(&signed_path).is_some();
            assert!(!well_formed, "a path signed as written was refused: {signed_path:?}");
        }
    }
});
