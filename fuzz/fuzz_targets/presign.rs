//! Presigning arbitrary requests never panics, and whatever is signed verifies.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4_presign::verify::{ReceivedRequest, Verifier};
use sigv4_presign::{Credentials, PresignRequest, Presigner, SessionTokenMode, Settings};
use std::time::Duration;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    method: &'a str,
    url: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    params: Vec<(&'a str, &'a str)>,
    expires: u64,
    unix_time: i64,
    /// The signing time's UTC offset, in quarter hours.
    offset: i8,
    generic: bool,
    token_mode: u8,
    verbatim: bool,
}

fuzz_target!(|input: Input<'_>| {
    let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .unwrap()
        .with_session_token("token/+=")
        .unwrap();
    let (service, base) = if input.generic { ("execute-api", Settings::aws_service()) } else { ("s3", Settings::s3()) };
    let mode = match input.token_mode % 3 {
        0 => SessionTokenMode::Signed,
        1 => SessionTokenMode::SignedListedLast,
        _ => SessionTokenMode::AppendAfterSigning,
    };
    let settings = base.with_session_token(mode);
    let presigner = Presigner::new(creds.clone(), "us-east-1", service).unwrap().with_settings(settings);
    let mut request = PresignRequest::new(input.method, input.url).expires_in(Duration::from_secs(input.expires));
    for (n, v) in &input.headers {
        request = request.header(*n, *v);
    }
    for (n, v) in &input.params {
        request = request.query(*n, *v);
    }
    if input.verbatim {
        request = request.verbatim_path();
    }
    let Ok(time) = time::OffsetDateTime::from_unix_timestamp(input.unix_time % 253_402_300_799) else { return };
    // Any offset: the signing time is an instant, whatever offset it is written in.
    let Ok(offset) = time::UtcOffset::from_whole_seconds(i32::from(input.offset % 100) * 900) else { return };
    let time = time.to_offset(offset);
    let Ok(signed) = presigner.presign(&request, time) else { return };
    let _ = (signed.canonical_request(), signed.string_to_sign(), format!("{signed:?}"), signed.credential_scope());

    // The oracle: the request the URL describes verifies, unless its target is one a
    // verifier must refuse for its size.
    let url = signed.url();
    let rest = url.split_once("://").unwrap().1;
    let split = rest.find('/').unwrap();
    let (host, target) = rest.split_at(split);
    let mut headers: Vec<(&str, &str)> = vec![("host", host)];
    headers.extend(signed.headers());
    if target.len() > sigv4_presign::verify::MAX_TARGET_LEN || headers.iter().any(|(_, v)| v.len() > 16 * 1024) {
        return;
    }
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", service).unwrap().with_settings(settings);
    let mut received = ReceivedRequest::new(signed.method(), target, &headers);
    if url.starts_with("http://") {
        received = received.over_http();
    }
    let result = verifier.verify(&received, time);
    // The verifier caps what it reads (documented limits); within them, it must agree.
    if let Err(sigv4_presign::verify::VerifyError::TooLarge { .. }) = result {
        return;
    }
    assert!(result.is_ok(), "{result:?} for {url}");
});
