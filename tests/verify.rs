//! The verifier: AWS's presigned requests verify; what we sign verifies; changing any single
//! byte of what was signed makes verification fail; every refusal has its typed error.

mod common;

use std::time::Duration;

use common::vectors::{parse, parse_time, unescape};
use proptest::prelude::*;
use sigv4_presign::verify::{MAX_TARGET_LEN, ReceivedRequest, Verifier, VerifyError};
use sigv4_presign::{
    Credentials, PayloadHash, PresignRequest, PresignedUrl, Presigner, SessionTokenMode, Settings,
};
use time::OffsetDateTime;
use time::macros::datetime;

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn store(creds: Credentials) -> impl Fn(&str) -> Option<Credentials> {
    move |id: &str| (id == creds.access_key_id()).then(|| creds.clone())
}

#[test]
fn aws_c_auth_presigned_requests_verify() {
    let cases = parse(include_str!("vectors/aws-c-auth-v4.txt"));
    assert_eq!(cases.len(), 38);
    let time = parse_time("20150830T123600Z");
    for case in &cases {
        let mut creds = Credentials::new(KEY, SECRET).unwrap();
        if let Some(token) = case.get("token") {
            creds = creds.with_session_token(token).unwrap();
        }
        let mut settings =
            Settings::aws_service().with_normalize_path(case.req("normalize") == "true");
        if case.flags.iter().any(|f| f == "omit-token") {
            settings = settings.with_session_token(SessionTokenMode::AppendAfterSigning);
        }
        if let Some(body) = case.get("body") {
            settings = settings.with_payload_hash(PayloadHash::of_body(unescape(body).as_bytes()));
        }
        let method = case.req("request").split(' ').next().unwrap();
        let target = case.req("signed-target");
        let mut headers: Vec<(&str, &str)> = vec![("Host", "example.amazonaws.com")];
        for (n, v) in &case.headers {
            headers.push((n, v));
        }
        let request = ReceivedRequest::new(method, target, &headers);
        let verifier = Verifier::new(store(creds.clone()), "us-east-1", "service")
            .unwrap()
            .with_settings(settings);
        let ok = verifier
            .verify(&request, time + time::Duration::minutes(5))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(ok.access_key_id(), KEY);
        assert_eq!(
            ok.credential_scope(),
            "20150830/us-east-1/service/aws4_request"
        );
        assert_eq!(ok.expires_at(), time + time::Duration::hours(1));
        // The verifier computes the suite's own canonical request.
        assert_eq!(
            verifier.canonical_request(&request).unwrap(),
            case.req("creq"),
            "{}",
            case.name
        );

        // Another secret, another region, a time past expiry.
        let mut other = Credentials::new(KEY, "another-secret").unwrap();
        if let Some(token) = case.get("token") {
            other = other.with_session_token(token).unwrap();
        }
        let wrong_secret = Verifier::new(store(other), "us-east-1", "service")
            .unwrap()
            .with_settings(settings);
        assert_eq!(
            wrong_secret.verify(&request, time),
            Err(VerifyError::SignatureMismatch),
            "{}",
            case.name
        );
        let wrong_region = Verifier::new(store(creds.clone()), "us-west-2", "service")
            .unwrap()
            .with_settings(settings);
        assert!(matches!(
            wrong_region.verify(&request, time),
            Err(VerifyError::ScopeMismatch { part: "region", .. })
        ));
        assert!(matches!(
            verifier.verify(&request, time + time::Duration::seconds(3601)),
            Err(VerifyError::Expired { .. })
        ));
    }
}

/// A signed request as a server receives it.
struct Received {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Received {
    fn of(signed: &PresignedUrl) -> Self {
        let rest = signed.url().split_once("://").unwrap().1;
        let split = rest.find('/').unwrap();
        let mut headers = vec![("Host".to_owned(), rest[..split].to_owned())];
        headers.extend(signed.headers().map(|(n, v)| (n.to_owned(), v.to_owned())));
        Self {
            method: signed.method().to_owned(),
            target: rest[split..].to_owned(),
            headers,
        }
    }

    fn verify<S: sigv4_presign::verify::CredentialStore>(
        &self,
        verifier: &Verifier<S>,
        now: OffsetDateTime,
    ) -> Result<sigv4_presign::verify::Verified, VerifyError> {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        verifier.verify(
            &ReceivedRequest::new(&self.method, &self.target, &headers),
            now,
        )
    }
}

/// A byte that differs from `b` in meaning: another hex digit value for a hex digit (so an
/// escape or the signature really changes), else a letter.
fn mutate(b: u8) -> u8 {
    if b.is_ascii_hexdigit() {
        let value = (b as char).to_digit(16).unwrap();
        b"0123456789abcdef"[((value + 1) % 16) as usize]
    } else if b == b'x' {
        b'y'
    } else {
        b'x'
    }
}

#[derive(Debug, Clone)]
struct Input {
    method: String,
    segments: Vec<String>,
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    unix_time: i64,
    expires: u64,
    s3: bool,
    token: Option<String>,
    /// Signed with SigV4a (with the `sigv4a` feature; SigV4 otherwise).
    sigv4a: bool,
}

fn input() -> impl Strategy<Value = Input> {
    (
        prop_oneof![Just("GET".to_owned()), Just("PUT".to_owned()), "[A-Z]{1,6}"],
        prop::collection::vec("[a-zA-Z0-9 _~+-]{1,8}|[é日😀]{1,3}", 0..4),
        prop::collection::vec(("[a-z]{1,6}", "[ -~]{0,8}"), 0..4),
        prop::collection::vec(("x-amz-meta-[a-z]{1,5}", "[!-~]{1,6}( [!-~]{1,6})?"), 0..3),
        1_000_000_000i64..4_000_000_000,
        1u64..=604_800,
        any::<bool>(),
        prop::option::of("[A-Za-z0-9+/=]{8,20}"),
        any::<bool>(),
    )
        .prop_map(
            |(method, segments, params, headers, unix_time, expires, s3, token, sigv4a)| Input {
                method,
                segments,
                params,
                headers,
                unix_time,
                expires,
                s3,
                token,
                sigv4a,
            },
        )
}

fn sign(
    input: &Input,
) -> (
    PresignedUrl,
    Verifier<impl Fn(&str) -> Option<Credentials>>,
    OffsetDateTime,
) {
    let mut creds = Credentials::new(KEY, SECRET).unwrap();
    if let Some(token) = &input.token {
        creds = creds.with_session_token(token.as_str()).unwrap();
    }
    let service = if input.s3 { "s3" } else { "execute-api" };
    let presigner = Presigner::new(creds.clone(), "eu-west-1", service).unwrap();
    let path: String = input
        .segments
        .iter()
        .map(|s| {
            format!(
                "/{}",
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect();
    let mut request = PresignRequest::new(
        input.method.as_str(),
        format!("https://api.example.com{path}"),
    )
    .expires_in(Duration::from_secs(input.expires));
    for (n, v) in &input.params {
        request = request.query(n.as_str(), v.as_str());
    }
    for (n, v) in &input.headers {
        request = request.header(n.as_str(), v.as_str());
    }
    let time = OffsetDateTime::from_unix_timestamp(input.unix_time).unwrap();
    let signed = if cfg!(feature = "sigv4a") && input.sigv4a {
        presign_sigv4a(&creds, service, &request, time)
    } else {
        presigner.presign(&request, time).unwrap()
    };
    let verifier = Verifier::new(store(creds), "eu-west-1", service).unwrap();
    (signed, verifier, time)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn what_we_sign_verifies(input in input()) {
        let (signed, verifier, time) = sign(&input);
        let received = Received::of(&signed);
        let ok = received.verify(&verifier, time + time::Duration::seconds(input.expires as i64 / 2));
        prop_assert!(ok.is_ok(), "{:?}", ok);
        let ok = ok.unwrap();
        prop_assert_eq!(ok.signed_at(), time);
        prop_assert_eq!(ok.signed_headers(), signed.signed_headers());
    }

    #[test]
    fn any_single_byte_change_of_the_target_fails(input in input(), pick in any::<prop::sample::Index>()) {
        let (signed, verifier, time) = sign(&input);
        let mut received = Received::of(&signed);
        // Any byte of the path, of a query name or value (auth parameters, the date and the
        // signature included).
        let at = pick.index(received.target.len());
        let mut bytes = received.target.clone().into_bytes();
        if !bytes[at].is_ascii() {
            return Ok(()); // inside a raw UTF-8 character, a one-byte change breaks UTF-8 itself
        }
        bytes[at] = mutate(bytes[at]);
        received.target = String::from_utf8(bytes).unwrap();
        prop_assert!(received.verify(&verifier, time).is_err(), "byte {} of {}", at, received.target);
    }

    #[test]
    fn any_single_byte_change_of_a_signed_header_or_the_method_fails(input in input(), pick in any::<prop::sample::Index>(), which in any::<prop::sample::Index>()) {
        let (signed, verifier, time) = sign(&input);
        let mut received = Received::of(&signed);
        let header = which.index(received.headers.len());
        let value = &mut received.headers[header].1;
        let at = pick.index(value.len().max(1)).min(value.len().saturating_sub(1));
        let mut bytes = value.clone().into_bytes();
        bytes[at] = mutate(bytes[at]);
        *value = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(received.verify(&verifier, time), Err(VerifyError::SignatureMismatch));

        let mut received = Received::of(&signed);
        received.method = if received.method == "DELETE" { "GET".into() } else { "DELETE".into() };
        prop_assert_eq!(received.verify(&verifier, time), Err(VerifyError::SignatureMismatch));
    }
}

/// `request` signed with SigV4a, valid in eu-west-1 (the verifier's region) and another.
#[cfg(feature = "sigv4a")]
fn presign_sigv4a(
    creds: &Credentials,
    service: &str,
    request: &PresignRequest<'_>,
    time: OffsetDateTime,
) -> PresignedUrl {
    let set = "ap-south-1,eu-west-1".parse().unwrap();
    sigv4_presign::sigv4a::Presigner::new(creds.clone(), set, service)
        .unwrap()
        .presign(request, time)
        .unwrap()
}

#[cfg(not(feature = "sigv4a"))]
fn presign_sigv4a(
    _: &Credentials,
    _: &str,
    _: &PresignRequest<'_>,
    _: OffsetDateTime,
) -> PresignedUrl {
    unreachable!("only with the sigv4a feature")
}

/// A signed S3 GET at noon, for the refusal tests.
fn s3_get(query: &str) -> (String, Verifier<impl Fn(&str) -> Option<Credentials>>) {
    let creds = Credentials::new(KEY, SECRET).unwrap();
    let presigner = Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
    let signed = presigner
        .presign(
            &PresignRequest::get(format!("https://b.s3.amazonaws.com/k{query}"))
                .expires_in(Duration::from_secs(600)),
            NOON,
        )
        .unwrap();
    let target = signed.url()["https://b.s3.amazonaws.com".len()..].to_owned();
    (
        target,
        Verifier::new(store(creds), "us-east-1", "s3").unwrap(),
    )
}

const NOON: OffsetDateTime = datetime!(2024-05-01 12:00 UTC);
const HOST: [(&str, &str); 1] = [("host", "b.s3.amazonaws.com")];

fn check(
    verifier: &Verifier<impl sigv4_presign::verify::CredentialStore>,
    target: &str,
) -> Result<(), VerifyError> {
    verifier
        .verify(&ReceivedRequest::new("GET", target, &HOST), NOON)
        .map(|_| ())
}

#[test]
fn valid_request() {
    let (target, verifier) = s3_get("");
    assert_eq!(check(&verifier, &target), Ok(()));
}

#[test]
fn missing_parameter() {
    let (target, verifier) = s3_get("");
    let without = target.replace("X-Amz-Date=20240501T120000Z&", "");
    assert_eq!(
        check(&verifier, &without),
        Err(VerifyError::MissingParameter { name: "X-Amz-Date" })
    );
    assert_eq!(
        check(&verifier, "/k"),
        Err(VerifyError::MissingParameter {
            name: "X-Amz-Algorithm"
        })
    );
}

#[test]
fn duplicated_parameter() {
    let (target, verifier) = s3_get("");
    let twice = format!("{target}&X-Amz-Expires=600");
    assert_eq!(
        check(&verifier, &twice),
        Err(VerifyError::DuplicateParameter {
            name: "X-Amz-Expires"
        })
    );
}

#[test]
fn unsupported_algorithm() {
    let (target, verifier) = s3_get("");
    let other = target.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512");
    assert!(matches!(
        check(&verifier, &other),
        Err(VerifyError::UnsupportedAlgorithm { .. })
    ));
    // SigV4a's name: unsupported without the feature; with it, a SigV4 URL relabelled so
    // lacks the region set.
    let relabelled = target.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256");
    let expected = if cfg!(feature = "sigv4a") {
        Err(VerifyError::MissingParameter {
            name: "X-Amz-Region-Set",
        })
    } else {
        Err(VerifyError::UnsupportedAlgorithm {
            algorithm: "AWS4-ECDSA-P256-SHA256".into(),
        })
    };
    assert_eq!(check(&verifier, &relabelled), expected);
}

#[test]
fn unknown_access_key() {
    let (target, verifier) = s3_get("");
    let other = target.replace("AKIDEXAMPLE", "AKIDUNKNOWN");
    assert_eq!(
        check(&verifier, &other),
        Err(VerifyError::UnknownAccessKey {
            access_key_id: "AKIDUNKNOWN".into()
        })
    );
}

#[test]
fn scope_mismatch_date_region_service() {
    let (target, verifier) = s3_get("");
    let date = target.replace("%2F20240501%2F", "%2F20240502%2F");
    assert!(matches!(
        check(&verifier, &date),
        Err(VerifyError::ScopeMismatch { part: "date", .. })
    ));
    let region = target.replace("%2Fus-east-1%2F", "%2Fus-west-2%2F");
    assert!(matches!(
        check(&verifier, &region),
        Err(VerifyError::ScopeMismatch { part: "region", .. })
    ));
    let service = target.replace("%2Fs3%2F", "%2Fs4%2F");
    assert!(matches!(
        check(&verifier, &service),
        Err(VerifyError::ScopeMismatch {
            part: "service",
            ..
        })
    ));
    // Another accepted region passes the scope check (and fails only on the signature).
    let (target, verifier) = s3_get("");
    let verifier = verifier.with_region("us-west-2").unwrap();
    assert_eq!(
        check(&verifier, &region),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(check(&verifier, &target), Ok(()));
}

#[test]
fn signed_in_the_future_beyond_the_skew() {
    let (target, verifier) = s3_get("");
    let early = NOON - time::Duration::minutes(16);
    let result = verifier.verify(&ReceivedRequest::new("GET", &target, &HOST), early);
    assert_eq!(result, Err(VerifyError::NotYetValid { signed_at: NOON }));
    let within = NOON - time::Duration::minutes(14);
    assert!(
        verifier
            .verify(&ReceivedRequest::new("GET", &target, &HOST), within)
            .is_ok()
    );
    let strict = verifier.with_max_skew(Duration::ZERO);
    assert!(
        strict
            .verify(&ReceivedRequest::new("GET", &target, &HOST), within)
            .is_err()
    );
}

#[test]
fn expired() {
    let (target, verifier) = s3_get("");
    let late = NOON + time::Duration::seconds(601);
    let result = verifier.verify(&ReceivedRequest::new("GET", &target, &HOST), late);
    assert_eq!(
        result,
        Err(VerifyError::Expired {
            expired_at: NOON + time::Duration::seconds(600)
        })
    );
}

#[test]
fn expiry_over_seven_days() {
    let (target, verifier) = s3_get("");
    let long = target.replace("X-Amz-Expires=600", "X-Amz-Expires=604801");
    assert_eq!(
        check(&verifier, &long),
        Err(VerifyError::ExpiresOutOfRange { seconds: 604_801 })
    );
    let zero = target.replace("X-Amz-Expires=600", "X-Amz-Expires=0");
    assert_eq!(
        check(&verifier, &zero),
        Err(VerifyError::ExpiresOutOfRange { seconds: 0 })
    );
}

#[test]
fn signed_header_absent_from_the_request() {
    let creds = Credentials::new(KEY, SECRET).unwrap();
    let presigner = Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
    let signed = presigner
        .presign(
            &PresignRequest::put("https://b.s3.amazonaws.com/k")
                .header("Content-Type", "image/png"),
            NOON,
        )
        .unwrap();
    let target = &signed.url()["https://b.s3.amazonaws.com".len()..];
    let verifier = Verifier::new(store(creds), "us-east-1", "s3").unwrap();
    let result = verifier.verify(&ReceivedRequest::new("PUT", target, &HOST), NOON);
    assert_eq!(
        result,
        Err(VerifyError::SignedHeaderMissing {
            name: "content-type".into()
        })
    );
    let with = [
        ("host", "b.s3.amazonaws.com"),
        ("content-type", "image/png"),
    ];
    assert!(
        verifier
            .verify(&ReceivedRequest::new("PUT", target, &with), NOON)
            .is_ok()
    );
    let other = [
        ("host", "b.s3.amazonaws.com"),
        ("content-type", "text/html"),
    ];
    let result = verifier.verify(&ReceivedRequest::new("PUT", target, &other), NOON);
    assert_eq!(result, Err(VerifyError::SignatureMismatch));
}

#[test]
fn signature_mismatch() {
    let (target, verifier) = s3_get("?a=1");
    let tampered = target.replace("a=1", "a=2");
    assert_eq!(
        check(&verifier, &tampered),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn session_token_must_match() {
    let creds = Credentials::new(KEY, SECRET)
        .unwrap()
        .with_session_token("token-1")
        .unwrap();
    let presigner = Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
    let signed = presigner
        .presign(&PresignRequest::get("https://b.s3.amazonaws.com/k"), NOON)
        .unwrap();
    let target = &signed.url()["https://b.s3.amazonaws.com".len()..];
    let expecting = |token: &str| {
        let creds = Credentials::new(KEY, SECRET)
            .unwrap()
            .with_session_token(token)
            .unwrap();
        Verifier::new(store(creds), "us-east-1", "s3").unwrap()
    };
    assert!(check(&expecting("token-1"), target).is_ok());
    assert_eq!(
        check(&expecting("token-2"), target),
        Err(VerifyError::SessionTokenMismatch)
    );
    let no_token = Verifier::new(
        store(Credentials::new(KEY, SECRET).unwrap()),
        "us-east-1",
        "s3",
    )
    .unwrap();
    assert_eq!(
        check(&no_token, target),
        Err(VerifyError::SessionTokenMismatch)
    );
}

#[test]
fn strict_decoding_and_caps() {
    let (target, verifier) = s3_get("");
    for bad in [
        target.replace("/k?", "/k%zz?"),
        format!("{target}%"),
        target.replace("X-Amz-Credential=AKIDEXAMPLE", "X-Amz-Credential=%FF%FE"),
        target.replace("X-Amz-Date=20240501T120000Z", "X-Amz-Date=2024-05-01"),
        target.replace("X-Amz-Date=20240501T120000Z", "X-Amz-Date=20241301T120000Z"),
        target.replace("X-Amz-Expires=600", "X-Amz-Expires=ten"),
        target.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=Host"),
        target.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x%3Bhost"),
        target.replace(
            "X-Amz-SignedHeaders=host",
            "X-Amz-SignedHeaders=content-type",
        ),
        target.replace("X-Amz-Credential=AKIDEXAMPLE%2F", "X-Amz-Credential="),
        format!("{target}0"),
        format!("{target}#frag"),
        "no-slash".to_owned(),
        target.replace("/k?", "/k\n?"),
    ] {
        assert!(
            matches!(check(&verifier, &bad), Err(VerifyError::Malformed { .. })),
            "{bad}"
        );
    }
    let huge = format!("{target}&pad={}", "a".repeat(MAX_TARGET_LEN));
    assert!(matches!(
        check(&verifier, &huge),
        Err(VerifyError::TooLarge { .. })
    ));
    let many: Vec<(&str, &str)> = (0..300).map(|_| ("x-a", "b")).collect();
    let r = verifier.verify(&ReceivedRequest::new("GET", &target, &many), NOON);
    assert!(matches!(r, Err(VerifyError::TooLarge { .. })));
    let messages = [
        VerifyError::SignatureMismatch.to_string(),
        VerifyError::SessionTokenMismatch.to_string(),
    ];
    assert!(messages.iter().all(|m| !m.contains(SECRET)));
}

#[test]
fn host_is_compared_as_the_signer_wrote_it() {
    let (target, verifier) = s3_get("");
    for host in ["B.S3.AMAZONAWS.COM", "b.s3.amazonaws.com:443"] {
        let headers = [("Host", host)];
        let result = verifier.verify(&ReceivedRequest::new("GET", &target, &headers), NOON);
        assert!(result.is_ok(), "{host}: {result:?}");
    }
    // Over http the default port is 80, and 443 is a port like any other.
    let headers = [("Host", "b.s3.amazonaws.com:443")];
    let http = ReceivedRequest::new("GET", &target, &headers).over_http();
    assert_eq!(
        verifier.verify(&http, NOON),
        Err(VerifyError::SignatureMismatch)
    );
    let headers = [("Host", "b.s3.amazonaws.com:80")];
    let http = ReceivedRequest::new("GET", &target, &headers).over_http();
    assert!(verifier.verify(&http, NOON).is_ok());
}

#[test]
fn debug_of_a_received_request_hides_the_query_and_header_values() {
    let headers = [("x-amz-server-side-encryption-customer-key", "c2VjcmV0")];
    let request = ReceivedRequest::new("GET", "/k?X-Amz-Security-Token=SeCrEt", &headers);
    let shown = format!("{request:?}");
    assert!(
        !shown.contains("SeCrEt") && !shown.contains("c2VjcmV0"),
        "{shown}"
    );
    assert!(shown.contains("/k") && shown.contains("x-amz-server-side-encryption-customer-key"));
}

/// Found by `cargo fuzz run presign`: an http URL on port 443 keeps its port (443 is not
/// http's default), and verifies when the verifier is told the request came over http.
#[test]
fn fuzz_regression_http_url_on_port_443() {
    let creds = Credentials::new(KEY, SECRET).unwrap();
    let presigner = Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
    let signed = presigner
        .presign(
            &PresignRequest::get("http://ztttttttttttt:443/?=%2Fz"),
            NOON,
        )
        .unwrap();
    assert!(signed.url().starts_with("http://ztttttttttttt:443/?"));
    let target = &signed.url()["http://ztttttttttttt:443".len()..];
    let headers = [("host", "ztttttttttttt:443")];
    let verifier = Verifier::new(store(creds), "us-east-1", "s3").unwrap();
    let received = ReceivedRequest::new("GET", target, &headers);
    assert!(verifier.verify(&received.over_http(), NOON).is_ok());
    assert_eq!(
        verifier.verify(&received, NOON),
        Err(VerifyError::SignatureMismatch),
        "https would drop :443"
    );
}
