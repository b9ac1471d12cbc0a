//! S3 Express One Zone: directory buckets at their zonal endpoints, signed for `s3express`
//! with IAM credentials or with CreateSession credentials (`X-Amz-S3session-Token`),
//! compared byte for byte with botocore's URLs (tests/vectors/botocore-express.txt).

mod common;

use std::time::Duration;

use common::vectors::{parse, parse_time};
use sigv4_presign::s3::Bucket;
use sigv4_presign::verify::{ReceivedRequest, Verifier, VerifyError};
use sigv4_presign::{Credentials, Error, PresignedUrl, Presigner, SessionTokenMode, Settings};

const BUCKET: &str = "mybucket--usw2-az1--x-s3";
const HOST: &str = "mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com";

fn presign(bucket: &Bucket, presigner: &Presigner, method: &str, key: &str) -> PresignedUrl {
    let time = parse_time("20240501T120000Z");
    let five_minutes = Duration::from_secs(300);
    match method {
        "GET" => bucket
            .get_object(key)
            .expires_in(five_minutes)
            .presign(presigner, time),
        "PUT" => bucket
            .put_object(key)
            .expires_in(five_minutes)
            .presign(presigner, time),
        other => panic!("{other}"),
    }
    .unwrap()
}

#[test]
fn the_same_urls_as_botocore() {
    let cases = parse(include_str!("vectors/botocore-express.txt"));
    assert_eq!(cases.len(), 4);
    let bucket = Bucket::new(BUCKET, "us-west-2").unwrap();
    for case in &cases {
        let mut parts = case.req("credentials").split(' ');
        let mut creds = Credentials::new(parts.next().unwrap(), parts.next().unwrap()).unwrap();
        if let Some(token) = parts.next() {
            creds = creds.with_session_token(token).unwrap();
        }
        let settings = match case.req("mode") {
            "session" => Settings::s3_express_session(),
            _ => Settings::s3(),
        };
        let presigner = Presigner::new(creds.clone(), "us-west-2", "s3express")
            .unwrap()
            .with_settings(settings);
        let signed = presign(&bucket, &presigner, case.req("method"), case.req("key"));
        let name = &case.name;
        assert_eq!(signed.canonical_request(), case.req("creq"), "{name}");
        assert_eq!(signed.string_to_sign(), case.req("sts"), "{name}");
        let expected = case.req("url");
        assert!(expected.ends_with(signed.signature()), "{name}: signature");
        // botocore lists the token after the signed headers: so does SignedListedLast,
        // byte for byte.
        let listed_last = Presigner::new(creds, "us-west-2", "s3express")
            .unwrap()
            .with_settings(settings.with_session_token(SessionTokenMode::SignedListedLast));
        let same = presign(&bucket, &listed_last, case.req("method"), case.req("key"));
        assert_eq!(same.url(), expected, "{name}");
        if case.req("mode") == "session" {
            assert!(
                signed
                    .url()
                    .contains("&X-Amz-S3session-Token=sessiontokenEXAMPLE%2F%2B%3D&")
            );
            assert!(!signed.url().contains("X-Amz-Security-Token"));
            let shown = format!("{signed:?} {}", signed.redacted_url());
            assert!(!shown.contains("sessiontokenEXAMPLE"), "{shown}");
        }
    }
}

#[test]
fn a_directory_bucket_needs_the_s3express_signing_name() {
    let bucket = Bucket::new(BUCKET, "us-west-2").unwrap();
    let creds = Credentials::new("AKIDEXAMPLE", "secret").unwrap();
    let s3 = Presigner::new(creds, "us-west-2", "s3").unwrap();
    let err = bucket
        .get_object("k")
        .presign(&s3, parse_time("20240501T120000Z"))
        .unwrap_err();
    assert!(matches!(err, Error::PresignerMismatch { .. }), "{err}");
    assert!(err.to_string().contains("s3express"), "{err}");
}

#[test]
fn session_credentials_bound_the_url() {
    // CreateSession credentials last five minutes; given their expiry, a longer URL is
    // refused, or shortened on request.
    let now = parse_time("20240501T120000Z");
    let creds = Credentials::new("ASIASESSIONEXAMPLE", "sessionsecretEXAMPLE")
        .unwrap()
        .with_session_token("sessiontokenEXAMPLE/+=")
        .unwrap()
        .with_expiration(now + time::Duration::minutes(5));
    let presigner = Presigner::new(creds.clone(), "us-west-2", "s3express")
        .unwrap()
        .with_settings(Settings::s3_express_session());
    let bucket = Bucket::new(BUCKET, "us-west-2").unwrap();
    let hour = bucket.get_object("k").expires_in(Duration::from_secs(3600));
    assert!(matches!(
        hour.presign(&presigner, now),
        Err(Error::OutlivesCredentials { .. })
    ));
    let clamped = bucket
        .get_object("k")
        .expires_in(Duration::from_secs(3600))
        .clamp_to_credentials()
        .presign(&presigner, now)
        .unwrap();
    assert!(clamped.url().contains("&X-Amz-Expires=300&"));

    // The verifier takes the token under its S3 Express name, signed, and refuses a
    // changed one.
    let verifier = Verifier::new(
        move |id: &str| (id == creds.access_key_id()).then(|| creds.clone()),
        "us-west-2",
        "s3express",
    )
    .unwrap()
    .with_settings(Settings::s3_express_session());
    let target = &clamped.url()["https://".len() + HOST.len()..];
    let headers = [("host", HOST)];
    let ok = verifier
        .verify(&ReceivedRequest::new("GET", target, &headers), now)
        .unwrap();
    assert_eq!(ok.service(), "s3express");
    let changed = target.replace("sessiontokenEXAMPLE", "sessiontokenEXAMPLF");
    assert!(matches!(
        verifier.verify(&ReceivedRequest::new("GET", &changed, &headers), now),
        Err(VerifyError::SessionTokenMismatch | VerifyError::SignatureMismatch)
    ));
}

#[test]
fn the_session_token_listed_last_among_other_parameters() {
    // SigV4's fast path has no query of the request's own; this one has, so the token's
    // place is found among sorted parameters, under its S3 Express name.
    let creds = Credentials::new("ASIASESSIONEXAMPLE", "sessionsecretEXAMPLE")
        .unwrap()
        .with_session_token("tok/en")
        .unwrap();
    let bucket = Bucket::new(BUCKET, "us-west-2").unwrap();
    let sign = |mode| {
        let presigner = Presigner::new(creds.clone(), "us-west-2", "s3express")
            .unwrap()
            .with_settings(Settings::s3_express_session().with_session_token(mode));
        bucket
            .get_object("k")
            .response_content_type("text/plain")
            .query("X-Amz-Sa", "1")
            .presign(&presigner, parse_time("20240501T120000Z"))
            .unwrap()
    };
    let in_place = sign(SessionTokenMode::Signed);
    let last = sign(SessionTokenMode::SignedListedLast);
    assert_eq!(in_place.canonical_request(), last.canonical_request());
    assert_eq!(in_place.signature(), last.signature());
    assert!(
        in_place
            .canonical_request()
            .contains("&X-Amz-S3session-Token=tok%2Fen&X-Amz-Sa=1&X-Amz-SignedHeaders=host&"),
        "{}",
        in_place.canonical_request()
    );
    assert!(last.url().ends_with(&format!(
        "&X-Amz-S3session-Token=tok%2Fen&X-Amz-Signature={}",
        last.signature()
    )));
    assert_eq!(in_place.url().len(), last.url().len());
}
