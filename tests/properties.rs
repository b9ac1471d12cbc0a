//! Properties that hold for arbitrary requests: the emitted URL carries exactly the query that
//! was signed, every parameter survives the round trip, S3 keys are never altered, the
//! debugging views are exactly what was signed, and no input makes the crate panic.

use std::time::Duration;

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use proptest::prelude::*;
use sha2::{Digest, Sha256};
use sigv4_presign::{
    Credentials, PresignRequest, PresignedRequest, Presigner, SessionTokenMode, Settings,
    SigningKey,
};
use time::OffsetDateTime;

/// Encodes a URL component for the test's own wire-form URLs (independent of the crate's
/// encoder): everything but unreserved characters and a few sub-delimiters.
const WIRE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';')
    .remove(b':')
    .remove(b'@');

fn wire(s: &str) -> String {
    utf8_percent_encode(s, WIRE).to_string()
}

fn decode(s: &str) -> String {
    percent_decode_str(s)
        .decode_utf8()
        .expect("utf-8")
        .into_owned()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{0,8}",
        "[ -~]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(10).collect()),
        Just(String::new()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("a b+c%2B~".to_owned()),
    ]
}

fn user_name() -> impl Strategy<Value = String> {
    // User parameters never use the signer's own names.
    text().prop_filter("not an auth parameter", |n| {
        !n.to_ascii_lowercase().starts_with("x-amz-")
    })
}

#[derive(Debug, Clone)]
struct Input {
    method: String,
    host: String,
    segments: Vec<String>,
    url_pairs: Vec<(String, String)>,
    raw_pairs: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    unix_time: i64,
    expires: u64,
    s3: bool,
    token: Option<String>,
    token_after: bool,
}

fn input() -> impl Strategy<Value = Input> {
    (
        prop_oneof![
            Just("GET".to_owned()),
            Just("PUT".to_owned()),
            "[A-Z]{1,7}",
            "[a-z!#*+^_|~-]{1,5}"
        ],
        prop_oneof![
            Just("Example.COM".to_owned()),
            Just("bucket.s3.us-west-2.amazonaws.com".to_owned()),
            Just("127.0.0.1:9000".to_owned()),
            Just("[::1]:8443".to_owned()),
        ],
        prop::collection::vec(text(), 0..5),
        prop::collection::vec((user_name(), text()), 0..5),
        prop::collection::vec((user_name(), text()), 0..20),
        prop::collection::vec(("[A-Za-z0-9-]{1,12}", "[ -~]{0,20}"), 0..5),
        0i64..4_102_444_800,
        1u64..=604_800,
        any::<bool>(),
        prop::option::of("[A-Za-z0-9+/=]{1,40}"),
        any::<bool>(),
    )
        .prop_map(
            |(
                method,
                host,
                segments,
                url_pairs,
                raw_pairs,
                headers,
                unix_time,
                expires,
                s3,
                token,
                token_after,
            )| Input {
                method,
                host,
                segments,
                url_pairs,
                raw_pairs,
                headers: headers
                    .into_iter()
                    .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
                    .collect(),
                unix_time,
                expires,
                s3,
                token,
                token_after,
            },
        )
}

fn sign(input: &Input) -> (Presigner, String, PresignedRequest) {
    let mut creds =
        Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
    if let Some(token) = &input.token {
        creds = creds.with_session_token(token.as_str()).unwrap();
    }
    let mode = if input.token_after {
        SessionTokenMode::AppendAfterSigning
    } else {
        SessionTokenMode::Signed
    };
    let (service, settings) = if input.s3 {
        ("s3", Settings::s3())
    } else {
        ("execute-api", Settings::aws_service())
    };
    let presigner = Presigner::new(creds, "eu-west-3", service)
        .unwrap()
        .with_settings(settings.with_session_token(mode));

    let path: String = input
        .segments
        .iter()
        .map(|s| format!("/{}", wire(s)))
        .collect();
    let query: Vec<String> = input
        .url_pairs
        .iter()
        .map(|(n, v)| format!("{}={}", wire(n), wire(v)))
        .collect();
    let url = format!("https://{}{}?{}", input.host, path, query.join("&"));
    let mut request = PresignRequest::new(input.method.as_str(), url.clone())
        .expires_in(Duration::from_secs(input.expires));
    for (n, v) in &input.raw_pairs {
        request = request.query(n.as_str(), v.as_str());
    }
    for (n, v) in &input.headers {
        request = request.header(n.as_str(), v.as_str());
    }
    let time = OffsetDateTime::from_unix_timestamp(input.unix_time).unwrap();
    let signed = presigner
        .presign(&request, time)
        .expect("a valid request is signed");
    (presigner, url, signed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn emitted_query_is_the_signed_canonical_query(input in input()) {
        let (_, _, signed) = sign(&input);
        let canonical = signed.canonical_request();
        let canonical_query = canonical.lines().nth(2).unwrap();
        let url_query = signed.url().split_once('?').unwrap().1;
        let mut tail = format!("&X-Amz-Signature={}", signed.signature());
        if let (Some(token), true) = (&input.token, input.token_after) {
            tail = format!("&X-Amz-Security-Token={}{tail}", utf8_percent_encode(token, NON_ALPHANUMERIC));
        }
        prop_assert_eq!(url_query.strip_suffix(tail.as_str()), Some(canonical_query));
    }

    #[test]
    fn canonical_query_is_sorted_by_encoded_name_then_value(input in input()) {
        let (_, _, signed) = sign(&input);
        let canonical = signed.canonical_request();
        let pairs: Vec<(&str, &str)> = canonical
            .lines()
            .nth(2)
            .unwrap()
            .split('&')
            .map(|p| p.split_once('=').unwrap())
            .collect();
        let mut sorted = pairs.clone();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.as_bytes().cmp(b.1.as_bytes())));
        prop_assert_eq!(pairs, sorted);
    }

    #[test]
    fn every_parameter_survives_the_round_trip(input in input()) {
        let (_, _, signed) = sign(&input);
        let url_query = signed.url().split_once('?').unwrap().1;
        let mut ours: Vec<(String, String)> = url_query
            .split('&')
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap();
                (decode(n), decode(v))
            })
            .filter(|(n, _)| !n.starts_with("X-Amz-"))
            .collect();
        let mut want: Vec<(String, String)> = input.url_pairs.iter().chain(&input.raw_pairs).cloned().collect();
        ours.sort();
        want.sort();
        prop_assert_eq!(ours, want);
        prop_assert!(!url_query.contains('+'), "space is %20, never +");
    }

    #[test]
    fn s3_keys_are_never_altered(input in input()) {
        prop_assume!(input.s3);
        let (_, _, signed) = sign(&input);
        let after_host = &signed.url()["https://".len()..];
        let path = &after_host[after_host.find('/').unwrap()..after_host.find('?').unwrap()];
        let segments: Vec<String> = path.split('/').skip(1).map(decode).collect();
        if input.segments.is_empty() {
            prop_assert_eq!(path, "/");
        } else {
            prop_assert_eq!(segments, input.segments.clone());
        }
    }

    #[test]
    fn debugging_views_are_what_was_signed(input in input()) {
        let (presigner, _, signed) = sign(&input);
        let creq = signed.canonical_request();
        let sts = signed.string_to_sign();
        let hash = hex::encode(Sha256::digest(creq.as_bytes()));
        prop_assert_eq!(sts.lines().nth(3), Some(hash.as_str()));
        let key = SigningKey::derive(presigner.credentials(), &sts[17..25], "eu-west-3", presigner.service());
        let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(sts.as_bytes());
        prop_assert_eq!(hex::encode(mac.finalize().into_bytes()), signed.signature());
        // Headers to send: every signed header but host, with canonical values.
        let mut want: Vec<(String, String)> = Vec::new();
        for (n, v) in &input.headers {
            let n = n.to_ascii_lowercase();
            let v = v.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
            match want.iter_mut().find(|(m, _)| *m == n) {
                Some((_, joined)) => { joined.push(','); joined.push_str(&v); }
                None => want.push((n, v)),
            }
        }
        want.sort();
        prop_assert_eq!(signed.headers(), want.as_slice());
        prop_assert_eq!(signed.expires_at() - signed.signed_at(), time::Duration::seconds(input.expires as i64));
    }

    #[test]
    fn arbitrary_input_never_panics(
        method in any::<String>(),
        url in prop_oneof![any::<String>(), "https?://[ -~]{0,40}", "https://h/[ -~]{0,40}"],
        header in (any::<String>(), any::<String>()),
        param in (any::<String>(), any::<String>()),
        seconds in any::<u64>(),
        unix in -100_000_000_000i64..300_000_000_000,
    ) {
        let creds = Credentials::new("AKID", "secret").unwrap();
        let presigner = Presigner::new(creds, "us-east-1", "s3").unwrap();
        let request = PresignRequest::new(method, url)
            .header(header.0, header.1)
            .query(param.0, param.1)
            .expires_in(Duration::from_secs(seconds));
        if let Ok(time) = OffsetDateTime::from_unix_timestamp(unix) {
            let _ = presigner.presign(&request, time);
            let generic = presigner.clone().with_settings(Settings::aws_service());
            let _ = generic.presign(&request, time);
        }
    }
}

#[test]
fn presigner_is_send_and_sync_and_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Presigner>();
    assert_send_sync::<PresignedRequest>();

    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap();
    let presigner = Presigner::new(creds, "us-east-1", "s3").unwrap();
    let request = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
        .expires_in(Duration::from_secs(86400));
    let day1 = time::macros::datetime!(2013-05-24 0:00 UTC);
    let day2 = time::macros::datetime!(2013-05-25 0:00 UTC);
    let expected1 = presigner.presign(&request, day1).unwrap().into_url();
    let expected2 = presigner.presign(&request, day2).unwrap().into_url();
    std::thread::scope(|s| {
        for t in 0..4 {
            let (presigner, request) = (&presigner, &request);
            let (e1, e2) = (&expected1, &expected2);
            s.spawn(move || {
                // Alternating days makes the threads race to replace the cached key.
                for i in 0..2000 {
                    let (time, expected) = if (i + t) % 3 == 0 {
                        (day2, e2)
                    } else {
                        (day1, e1)
                    };
                    assert_eq!(
                        presigner.presign(request, time).unwrap().url(),
                        expected.as_str()
                    );
                }
            });
        }
    });
    assert!(
        expected1.ends_with("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    );
}
