//! Every input the crate refuses, one test each, asserting the error variant (and that the
//! message says how to fix it without leaking a secret).

use std::time::Duration;

use sigv4_presign::{Credentials, Error, PayloadHash, PresignRequest, Presigner};
use time::OffsetDateTime;
use time::macros::datetime;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLETOKEN";
const T: OffsetDateTime = datetime!(2024-05-01 12:00 UTC);

fn presigner() -> Presigner {
    let creds = Credentials::new("AKIDEXAMPLE", SECRET)
        .unwrap()
        .with_session_token(TOKEN)
        .unwrap();
    Presigner::new(creds, "us-east-1", "s3").unwrap()
}

fn refuse(request: PresignRequest<'_>) -> Error {
    let err = presigner()
        .presign(&request, T)
        .expect_err("the request must be refused");
    let message = err.to_string();
    assert!(
        !message.contains(SECRET) && !message.contains(TOKEN),
        "{message}"
    );
    assert!(!format!("{err:?}").contains(SECRET));
    assert!(message.len() > 30, "a message that explains: {message}");
    err
}

fn get(url: &str) -> Error {
    refuse(PresignRequest::get(url))
}

#[test]
fn url_already_signed() {
    let err = get("https://b.s3.amazonaws.com/k?X-Amz-Signature=abc");
    assert_eq!(
        err,
        Error::AuthParameterPresent {
            name: "X-Amz-Signature".into()
        }
    );
    assert!(err.to_string().contains("unsigned URL"));
}

#[test]
fn url_with_other_auth_parameters_in_any_case_or_encoding() {
    for url in [
        "https://h/k?X-Amz-Credential=a",
        "https://h/k?x-amz-date=20240501T000000Z",
        "https://h/k?a=1&X-Amz-Expires",
        "https://h/k?X-Amz-SignedHeaders=host",
        "https://h/k?X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "https://h/k?X-Amz-Security-Token=t",
        "https://h/k?X-Amz-%53ignature=x",
    ] {
        assert!(
            matches!(get(url), Error::AuthParameterPresent { .. }),
            "{url}"
        );
    }
}

#[test]
fn raw_query_parameter_with_an_auth_name() {
    let err = refuse(PresignRequest::get("https://h/k").query("x-amz-signature", "v"));
    assert!(matches!(err, Error::AuthParameterPresent { .. }));
}

#[test]
fn userinfo() {
    assert_eq!(get("https://user:pass@h/k"), Error::UrlHasUserinfo);
    assert_eq!(get("https://user@h/k"), Error::UrlHasUserinfo);
}

#[test]
fn fragment() {
    assert_eq!(get("https://h/k#frag"), Error::UrlHasFragment);
    assert_eq!(get("https://h/k?a=b#"), Error::UrlHasFragment);
}

#[test]
fn scheme_other_than_http_or_https() {
    assert_eq!(
        get("ftp://h/k"),
        Error::UnsupportedScheme {
            scheme: "ftp".into()
        }
    );
    assert!(matches!(
        get("s3://bucket/key"),
        Error::UnsupportedScheme { .. }
    ));
    assert!(matches!(
        get("bucket.s3.amazonaws.com/key"),
        Error::MalformedUrl { .. }
    ));
}

#[test]
fn missing_host() {
    assert_eq!(get("https:///k"), Error::MissingHost);
    assert_eq!(get("https://"), Error::MissingHost);
    assert_eq!(get("https://:443/k"), Error::MissingHost);
}

#[test]
fn invalid_host_and_port() {
    assert!(matches!(get("https://a b/k"), Error::InvalidHost { .. }));
    assert!(matches!(get("https://[::1/k"), Error::InvalidHost { .. }));
    assert!(matches!(
        get("https://h:99999/k"),
        Error::InvalidPort { .. }
    ));
    assert!(matches!(get("https://h:0/k"), Error::InvalidPort { .. }));
}

#[test]
fn malformed_percent_escapes_and_control_characters() {
    for url in [
        "https://h/a%zzb",
        "https://h/a%2",
        "https://h/k?a=%G1",
        "https://h/k\n",
    ] {
        assert!(matches!(get(url), Error::MalformedUrl { .. }), "{url}");
    }
}

#[test]
fn header_value_with_a_line_break_that_is_not_a_fold() {
    for value in ["a\r\nb", "a\nb", "a\rb", "value\n", "evil\r\nX-Injected: 1"] {
        let err = refuse(PresignRequest::get("https://h/k").header("x-amz-meta-a", value));
        assert!(
            matches!(err, Error::InvalidHeaderValue { ref name, .. } if name == "x-amz-meta-a"),
            "{value:?}: {err:?}"
        );
    }
    // A folded line is accepted and becomes one space.
    let signed = presigner()
        .presign(
            &PresignRequest::get("https://h/k").header("X-Amz-Meta-A", "one\r\n  two"),
            T,
        )
        .unwrap();
    assert_eq!(
        signed.headers().collect::<Vec<_>>(),
        [("x-amz-meta-a", "one two")]
    );
}

#[test]
fn header_value_with_another_control_character() {
    let err = refuse(PresignRequest::get("https://h/k").header("a", "x\0y"));
    assert!(matches!(err, Error::InvalidHeaderValue { .. }));
}

#[test]
fn header_name_that_is_not_a_token() {
    for name in ["", "Content Type", "a:b", "x\n", "é", "(comment)"] {
        let err = refuse(PresignRequest::get("https://h/k").header(name, "v"));
        assert_eq!(err, Error::InvalidHeaderName { name: name.into() });
    }
}

#[test]
fn host_header_that_differs_from_the_url() {
    let err = refuse(PresignRequest::get("https://h/k").header("Host", "other"));
    assert!(matches!(err, Error::HostHeaderMismatch { .. }));
}

fn scope_error(region: &str, service: &str) -> Error {
    let creds = Credentials::new("AKID", "secret").unwrap();
    let err = Presigner::new(creds, region, service).unwrap_err();
    assert!(
        err.to_string().contains("e.g."),
        "the message shows a valid value: {err}"
    );
    err
}

#[test]
fn empty_region() {
    assert!(matches!(
        scope_error("", "s3"),
        Error::InvalidScope {
            field: "region",
            ..
        }
    ));
}

#[test]
fn empty_service() {
    assert!(matches!(
        scope_error("us-east-1", ""),
        Error::InvalidScope {
            field: "service",
            ..
        }
    ));
}

#[test]
fn region_holding_a_slash() {
    assert!(matches!(
        scope_error("us-east-1/x", "s3"),
        Error::InvalidScope {
            field: "region",
            ..
        }
    ));
}

#[test]
fn service_holding_a_slash() {
    assert!(matches!(
        scope_error("us-east-1", "s3/x"),
        Error::InvalidScope {
            field: "service",
            ..
        }
    ));
}

#[test]
fn region_holding_a_space() {
    assert!(matches!(
        scope_error("us east", "s3"),
        Error::InvalidScope {
            field: "region",
            ..
        }
    ));
}

#[test]
fn expiry_outside_one_second_to_seven_days() {
    for seconds in [0, 604_801, u64::MAX] {
        let err =
            refuse(PresignRequest::get("https://h/k").expires_in(Duration::from_secs(seconds)));
        assert_eq!(err, Error::ExpiresOutOfRange { seconds });
        assert!(
            err.to_string().contains("604800"),
            "the message names the limit"
        );
    }
    let err = refuse(PresignRequest::get("https://h/k").expires_in(Duration::from_millis(1500)));
    assert_eq!(err, Error::ExpiresNotWholeSeconds);
    // The bounds themselves are fine.
    for seconds in [1, 604_800] {
        let request = PresignRequest::get("https://h/k").expires_in(Duration::from_secs(seconds));
        assert!(presigner().presign(&request, T).is_ok());
    }
}

#[test]
fn empty_access_key_id() {
    assert_eq!(Credentials::new("", SECRET), Err(Error::EmptyAccessKeyId));
}

#[test]
fn empty_secret_access_key() {
    assert_eq!(
        Credentials::new("AKID", ""),
        Err(Error::EmptySecretAccessKey)
    );
}

#[test]
fn secret_with_a_trailing_newline() {
    assert_eq!(
        Credentials::new("AKID", format!("{SECRET}\n")),
        Err(Error::InvalidSecretAccessKey)
    );
}

#[test]
fn empty_session_token() {
    let err = Credentials::new("AKID", SECRET)
        .unwrap()
        .with_session_token("")
        .unwrap_err();
    assert_eq!(err, Error::EmptySessionToken);
}

#[test]
fn invalid_method() {
    for method in ["", "GET /", "G\nET"] {
        let err = refuse(PresignRequest::new(method, "https://h/k"));
        assert_eq!(
            err,
            Error::InvalidMethod {
                method: method.into()
            }
        );
    }
}

#[test]
fn invalid_payload_hash() {
    assert_eq!(
        PayloadHash::sha256_hex("xyz"),
        Err(Error::InvalidPayloadHash)
    );
    assert_eq!(
        PayloadHash::sha256_hex(&"g".repeat(64)),
        Err(Error::InvalidPayloadHash)
    );
}

#[test]
fn time_out_of_range() {
    let request = PresignRequest::get("https://h/k").expires_in(Duration::from_secs(604_800));
    let late = datetime!(9999-12-31 23:00 UTC);
    assert_eq!(
        presigner().presign(&request, late).unwrap_err(),
        Error::TimeOutOfRange
    );
    let early = datetime!(-0001-12-31 23:00 UTC);
    assert_eq!(
        presigner().presign(&request, early).unwrap_err(),
        Error::TimeOutOfRange
    );
}
