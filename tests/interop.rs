//! The ecosystem's types in and out: `std::time::SystemTime` (always), and with their
//! features `http`, `url` and `serde`. Each interop type makes a round trip.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sigv4_presign::verify::Verifier;
use sigv4_presign::{Credentials, PresignRequest, Presigner};
use time::macros::datetime;

const URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt";

fn credentials() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap()
}

fn presigner() -> Presigner {
    Presigner::new(credentials(), "us-east-1", "s3").unwrap()
}

/// 2013-05-24T00:00:00Z, the S3 documentation example's signing time.
fn example_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_369_353_600)
}

#[test]
fn system_time_signs_as_offset_date_time_does() {
    let request = PresignRequest::get(URL).expires_in(Duration::from_secs(86400));
    let by_system_time = presigner().presign(&request, example_time()).unwrap();
    assert!(by_system_time.url().ends_with(
        "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    ));
    let by_offset = presigner()
        .presign(&request, datetime!(2013-05-24 02:00 +02:00))
        .unwrap();
    assert_eq!(by_system_time.url(), by_offset.url());
    // The expiry, as a SystemTime and as RFC 3339 text.
    assert_eq!(
        by_system_time.expires_at_system_time(),
        Some(example_time() + Duration::from_secs(86400))
    );
    assert_eq!(by_system_time.expires_at_rfc3339(), "2013-05-25T00:00:00Z");
    assert_eq!(by_offset.expires_at_rfc3339(), "2013-05-25T00:00:00Z");
    // An instant `time` cannot hold is an error, not a panic.
    let far = UNIX_EPOCH + Duration::from_secs(400_000_000_000);
    assert!(matches!(
        presigner().presign(&request, far),
        Err(sigv4_presign::Error::TimeOutOfRange)
    ));
}

#[test]
fn the_verifier_and_the_s3_layer_take_system_time() {
    let creds = credentials();
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", "s3").unwrap();
    let signed = sigv4_presign::s3::Bucket::new("examplebucket", "us-east-1")
        .unwrap()
        .get_object("test.txt")
        .presign(&presigner(), example_time())
        .unwrap();
    let target = &signed.url()["https://examplebucket.s3.us-east-1.amazonaws.com".len()..];
    let headers = [("host", "examplebucket.s3.us-east-1.amazonaws.com")];
    let request = sigv4_presign::verify::ReceivedRequest::new("GET", target, &headers);
    let ok = verifier
        .verify(&request, example_time() + Duration::from_secs(60))
        .unwrap();
    assert_eq!(ok.path(), "/test.txt");
    let late = verifier.verify(&request, example_time() + Duration::from_secs(7200));
    assert!(matches!(
        late,
        Err(sigv4_presign::verify::VerifyError::Expired { .. })
    ));
}

#[cfg(feature = "http")]
mod http_interop {
    use super::*;

    #[test]
    fn an_http_request_presigns_as_the_plain_api_does() {
        let request = http::Request::builder()
            .method(http::Method::PUT)
            .uri("https://examplebucket.s3.amazonaws.com/photos/a%20b.png")
            .header("Content-Type", "image/png")
            .header("x-amz-meta-owner", "42")
            .body(Vec::<u8>::new())
            .unwrap();
        let through_http = presigner().presign_http(&request, example_time()).unwrap();
        let plain = PresignRequest::put("https://examplebucket.s3.amazonaws.com/photos/a%20b.png")
            .header("content-type", "image/png")
            .header("x-amz-meta-owner", "42");
        let by_hand = presigner().presign(&plain, example_time()).unwrap();
        assert_eq!(through_http.url(), by_hand.url());
        assert_eq!(
            through_http.signed_headers(),
            "content-type;host;x-amz-meta-owner"
        );
        // `http::Method` wherever a method is taken.
        let with_method = PresignRequest::new(
            http::Method::PUT,
            "https://examplebucket.s3.amazonaws.com/photos/a%20b.png",
        )
        .header("content-type", "image/png")
        .header("x-amz-meta-owner", "42");
        assert_eq!(
            presigner()
                .presign(&with_method, example_time())
                .unwrap()
                .url(),
            by_hand.url()
        );
        let custom = http::Method::from_bytes(b"PROPFIND").unwrap();
        let propfind = presigner()
            .presign(&PresignRequest::new(&custom, URL), example_time())
            .unwrap();
        assert_eq!(propfind.method(), "PROPFIND");
        assert_eq!(
            presigner()
                .presign(&PresignRequest::new(custom, URL), example_time())
                .unwrap()
                .url(),
            propfind.url()
        );
    }

    #[test]
    fn relative_uris_and_non_ascii_headers_are_refused() {
        let relative = http::Request::get("/photos/a.png").body(()).unwrap();
        assert!(matches!(
            presigner().presign_http(&relative, example_time()),
            Err(sigv4_presign::Error::MalformedUrl { .. })
        ));
        let mut accented = http::Request::get(URL).body(()).unwrap();
        accented.headers_mut().insert(
            "x-amz-meta-name",
            http::HeaderValue::from_bytes("é".as_bytes()).unwrap(),
        );
        assert!(matches!(
            presigner().presign_http(&accented, example_time()),
            Err(sigv4_presign::Error::InvalidHeaderValue { .. })
        ));
    }

    #[test]
    fn a_presigned_url_becomes_an_http_request_that_verifies() {
        let signed = presigner()
            .presign(
                &PresignRequest::put(URL)
                    .header("Content-Type", "text/plain")
                    .header("x-amz-acl", "private"),
                example_time(),
            )
            .unwrap();
        let request: http::Request<()> = signed.to_http_request().unwrap();
        assert_eq!(request.method(), http::Method::PUT);
        assert_eq!(request.uri().to_string(), signed.url());
        assert_eq!(request.headers().len(), 2);
        assert_eq!(request.headers()["content-type"], "text/plain");
        assert_eq!(request.headers()["x-amz-acl"], "private");

        let creds = credentials();
        let verifier =
            Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", "s3").unwrap();
        let now = example_time() + Duration::from_secs(10);
        // As a client sends it: absolute URI, no Host header (HTTP/2 carries the authority).
        let ok = verifier.verify_http(&request, now).unwrap();
        assert_eq!(
            (ok.host(), ok.method(), ok.path()),
            ("examplebucket.s3.amazonaws.com", "PUT", "/test.txt")
        );
        // As an HTTP/1.1 server sees it: origin-form target and a Host header.
        let (mut parts, ()) = request.into_parts();
        parts.uri = parts
            .uri
            .path_and_query()
            .unwrap()
            .as_str()
            .parse()
            .unwrap();
        parts.headers.insert(
            http::header::HOST,
            "examplebucket.s3.amazonaws.com".parse().unwrap(),
        );
        assert_eq!(verifier.verify_http_parts(&parts, now).unwrap(), ok);
        // A header changed on the way: refused.
        parts
            .headers
            .insert("x-amz-acl", "public-read".parse().unwrap());
        assert!(verifier.verify_http_parts(&parts, now).is_err());
        // Signed for another host.
        parts
            .headers
            .insert(http::header::HOST, "evil.example".parse().unwrap());
        parts
            .headers
            .insert("x-amz-acl", "private".parse().unwrap());
        assert!(verifier.verify_http_parts(&parts, now).is_err());
    }
}

#[cfg(feature = "url")]
mod url_interop {
    use super::*;

    #[test]
    fn urls_in_and_out() {
        let base = url::Url::parse(URL).unwrap();
        let request = PresignRequest::get(&base).expires_in(Duration::from_secs(86400));
        let signed = presigner().presign(&request, example_time()).unwrap();
        let by_text = presigner()
            .presign(
                &PresignRequest::get(URL).expires_in(Duration::from_secs(86400)),
                example_time(),
            )
            .unwrap();
        assert_eq!(signed.url(), by_text.url());
        let owned = PresignRequest::get(base.clone()).expires_in(Duration::from_secs(86400));
        assert_eq!(
            presigner().presign(&owned, example_time()).unwrap().url(),
            signed.url()
        );
        let back: url::Url = signed.to_url().unwrap();
        assert_eq!(back.as_str(), signed.url());
        assert_eq!(
            back.query_pairs()
                .find(|(k, _)| k == "X-Amz-Signature")
                .unwrap()
                .1,
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
    }

    #[test]
    fn a_path_url_parsers_rewrite_is_refused() {
        let bucket = sigv4_presign::s3::Bucket::new("examplebucket", "us-east-1").unwrap();
        for key in ["a/../b", "a/./b", ".."] {
            let signed = bucket
                .get_object(key)
                .presign(&presigner(), example_time())
                .unwrap();
            match signed.to_url() {
                Err(sigv4_presign::Error::PathRewrittenByUrlParsers { signed: path, sent }) => {
                    assert_ne!(path, sent, "{key}");
                }
                other => panic!("{key}: {other:?}"),
            }
        }
        // In wire form, `%2e` is a dot too.
        let wire = PresignRequest::get("https://examplebucket.s3.amazonaws.com/x/%2e%2E/y");
        let signed = presigner().presign(&wire, example_time()).unwrap();
        assert!(matches!(
            signed.to_url(),
            Err(sigv4_presign::Error::PathRewrittenByUrlParsers { .. })
        ));
        // A service that signs the normalised path accepts the resolved one.
        let generic = Presigner::new(credentials(), "us-east-1", "execute-api").unwrap();
        let signed = generic
            .presign(
                &PresignRequest::get("https://api.example.com/a/../b"),
                example_time(),
            )
            .unwrap();
        assert_eq!(signed.to_url().unwrap().path(), "/b");
        // Dots inside a segment are not dot segments.
        let signed = bucket
            .get_object("a/..b/.c")
            .presign(&presigner(), example_time())
            .unwrap();
        assert_eq!(signed.to_url().unwrap().as_str(), signed.url());
    }
}

#[cfg(feature = "serde")]
mod serde_interop {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_presigned_url_serialises_with_what_a_client_needs() {
        let signed = presigner()
            .presign(
                &PresignRequest::put(URL)
                    .header("Content-Type", "text/plain")
                    .expires_in(Duration::from_secs(600)),
                example_time(),
            )
            .unwrap();
        let value = serde_json::to_value(&signed).unwrap();
        assert_eq!(
            value,
            json!({
                "url": signed.url(),
                "method": "PUT",
                "headers": {"content-type": "text/plain"},
                "expires_at": "2013-05-24T00:10:00Z",
            })
        );
    }

    #[test]
    fn a_post_form_serialises_in_boto3_shape() {
        let post = sigv4_presign::s3::Bucket::new("examplebucket", "us-east-1")
            .unwrap()
            .post_policy("uploads/a.txt")
            .presign(&presigner(), datetime!(2013-05-24 0:00 UTC))
            .unwrap();
        let value = serde_json::to_value(&post).unwrap();
        let from_to_json: serde_json::Value = serde_json::from_str(&post.to_json()).unwrap();
        assert_eq!(value, from_to_json);
        assert_eq!(value["fields"]["key"], "uploads/a.txt");
        let text = serde_json::to_string(&post).unwrap();
        assert!(text.starts_with(r#"{"url":"https://examplebucket.s3.us-east-1.amazonaws.com/","fields":{"key":"uploads/a.txt","#), "{text}");
    }

    #[test]
    fn tokens_and_exec_credentials_serialise() {
        let token = sigv4_presign::tokens::eks_token(
            &credentials(),
            "us-east-1",
            "my-cluster",
            datetime!(2024-05-01 12:00 UTC),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&token).unwrap(),
            json!({"token": token.as_str(), "expires_at": "2024-05-01T12:14:00Z"})
        );
        for version in [
            sigv4_presign::tokens::ExecCredentialVersion::V1,
            sigv4_presign::tokens::ExecCredentialVersion::V1Beta1,
        ] {
            let credential = sigv4_presign::tokens::ExecCredential::new(token.clone(), version);
            let by_serde = serde_json::to_value(&credential).unwrap();
            let as_cli_prints: serde_json::Value =
                serde_json::from_str(&sigv4_presign::tokens::eks_exec_credential(&token, version))
                    .unwrap();
            assert_eq!(by_serde, as_cli_prints);
            assert_eq!(by_serde["status"]["token"], token.as_str());
        }
    }
}
