//! AWS's published presign vectors, carried into `tests/vectors/` (see the headers of those
//! files for their sources): every case must match byte for byte.

use std::time::Duration;

use sigv4_presign::{
    Credentials, PayloadHash, PresignRequest, PresignedUrl, Presigner, SessionTokenMode, Settings,
};
mod common;

use common::vectors::{Case, parse, parse_time, unescape};

/// The decoded (name, value) pairs of a query string, sorted: order is not part of the
/// contract, content is.
fn decoded_pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(n), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8()
        .expect("utf-8")
        .into_owned()
}

fn query_of(url_or_target: &str) -> &str {
    url_or_target.split_once('?').map_or("", |(_, q)| q)
}

fn assert_common(case: &Case, signed: &PresignedUrl) {
    if let Some(creq) = case.get("creq") {
        assert_eq!(
            signed.canonical_request(),
            creq,
            "{}: canonical request",
            case.name
        );
    }
    if let Some(sts) = case.get("sts") {
        assert_eq!(
            signed.string_to_sign(),
            sts,
            "{}: string to sign",
            case.name
        );
    }
    assert_eq!(
        signed.signature(),
        case.req("signature"),
        "{}: signature",
        case.name
    );
    assert!(
        signed
            .url()
            .ends_with(&format!("&X-Amz-Signature={}", case.req("signature"))),
        "{}: the signature is the URL's last parameter",
        case.name
    );
}

#[test]
fn aws_c_auth_v4_presigned_variants() {
    let cases = parse(include_str!("vectors/aws-c-auth-v4.txt"));
    assert_eq!(cases.len(), 38, "all 38 v4 cases are carried");
    let time = parse_time("20150830T123600Z");
    for case in &cases {
        let mut creds =
            Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
        if let Some(token) = case.get("token") {
            creds = creds.with_session_token(token).unwrap();
        }
        let token_mode = if case.flags.iter().any(|f| f == "omit-token") {
            SessionTokenMode::AppendAfterSigning
        } else {
            SessionTokenMode::Signed
        };
        let settings = Settings::aws_service()
            .with_normalize_path(case.req("normalize") == "true")
            .with_session_token(token_mode);
        let presigner = Presigner::new(creds, "us-east-1", "service")
            .unwrap()
            .with_settings(settings);

        let (method, url) = case.req("request").split_once(' ').unwrap();
        let build = |verbatim: bool| {
            let mut request =
                PresignRequest::new(method, url).expires_in(Duration::from_secs(3600));
            if verbatim {
                request = request.verbatim_path();
            }
            for (name, value) in &case.headers {
                request = request.header(name.as_str(), value.as_str());
            }
            if let Some(body) = case.get("body") {
                request = request.payload_hash(PayloadHash::of_body(unescape(body).as_bytes()));
            }
            request
        };
        // The suite's request lines carry their paths raw (`/example space/`, `/ሴ`), and
        // its signatures cover those bytes: sign them verbatim.
        let request = build(true);
        let signed = presigner
            .presign(&request, time)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_common(case, &signed);

        // The signed URL carries the same parameters as AWS's presigned request, and the
        // same path.
        let target = case.req("signed-target");
        assert_eq!(
            decoded_pairs(query_of(signed.url())),
            decoded_pairs(query_of(target)),
            "{}: parameters of the presigned URL",
            case.name
        );
        let our_path = signed.url()["https://example.amazonaws.com".len()..]
            .split('?')
            .next()
            .unwrap();
        assert_eq!(
            our_path,
            target.split('?').next().unwrap(),
            "{}: path",
            case.name
        );

        // Where the path is already valid on the wire, the default signs the same bytes;
        // where it is not, the default encodes it once for the wire and signs that.
        let path = url["https://example.amazonaws.com".len()..]
            .split('?')
            .next()
            .unwrap();
        let default = presigner.presign(&build(false), time).unwrap();
        if path.bytes().all(|b| b.is_ascii_graphic()) {
            assert_eq!(default.signature(), signed.signature(), "{}", case.name);
        } else {
            assert_ne!(default.signature(), signed.signature(), "{}", case.name);
            assert!(
                default.url().is_ascii() && !default.url().contains(' '),
                "{}",
                case.name
            );
        }

        // The signed request must carry every header that was signed, except host.
        let sent: Vec<&str> = signed.headers().map(|(n, _)| n).collect();
        let signed_names = signed.signed_headers();
        let expected: Vec<&str> = signed_names.split(';').filter(|n| *n != "host").collect();
        assert_eq!(sent, expected, "{}: headers to send", case.name);
    }
}

#[test]
fn s3_documentation_and_botocore_examples() {
    let cases = parse(include_str!("vectors/presign-examples.txt"));
    assert_eq!(cases.len(), 8);
    check_full_cases(&cases);
}

#[test]
fn botocore_cross_checks() {
    let cases = parse(include_str!("vectors/botocore-crosscheck.txt"));
    assert_eq!(cases.len(), 7);
    check_full_cases(&cases);
}

fn check_full_cases(cases: &[Case]) {
    for case in cases {
        let creds_line: Vec<&str> = case.req("credentials").split(' ').collect();
        let mut creds = Credentials::new(creds_line[0], creds_line[1]).unwrap();
        if let Some(token) = creds_line.get(2) {
            creds = creds.with_session_token(*token).unwrap();
        }
        let settings = match case.req("settings") {
            "s3" => Settings::s3(),
            "aws-service" => Settings::aws_service(),
            other => panic!("unknown settings {other}"),
        };
        let presigner = Presigner::new(creds, case.req("region"), case.req("service"))
            .unwrap()
            .with_settings(settings);
        let (method, url) = case.req("request").split_once(' ').unwrap();
        let expires = Duration::from_secs(case.req("expires").parse().unwrap());
        let mut request = PresignRequest::new(method, url).expires_in(expires);
        for (name, value) in &case.params {
            request = request.query(name.as_str(), value.as_str());
        }
        for (name, value) in &case.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let signed = presigner
            .presign(&request, parse_time(case.req("time")))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_common(case, &signed);

        if let Some(url) = case.get("url") {
            assert_eq!(signed.url(), url, "{}: URL", case.name);
        }
        if let Some(expected) = case.get("url-without-scheme") {
            let ours = signed.url().strip_prefix("https://").unwrap();
            let (our_base, our_query) = ours.split_once('?').unwrap();
            let (base, query) = expected.split_once('?').unwrap();
            assert_eq!(our_base, base, "{}: host and path", case.name);
            assert_eq!(
                decoded_pairs(our_query),
                decoded_pairs(query),
                "{}: parameters",
                case.name
            );
        }
        if let Some(expected) = case.get("params-decoded") {
            let mut want: Vec<(String, String)> = expected
                .split('&')
                .map(|p| {
                    let (n, v) = p.split_once('=').unwrap();
                    (n.to_owned(), v.to_owned())
                })
                .collect();
            want.sort();
            assert_eq!(
                decoded_pairs(query_of(signed.url())),
                want,
                "{}: parameters",
                case.name
            );
        }
        if let Some(expected) = case.get("url-params") {
            assert_eq!(
                decoded_pairs(query_of(signed.url())),
                decoded_pairs(expected),
                "{}: parameters",
                case.name
            );
        }
        if let Some(fragment) = case.get("credential-contains") {
            assert!(
                signed.url().contains(fragment),
                "{}: credential scope",
                case.name
            );
        }
    }
}
