//! Regression tests for the hardening review (one per finding, named after it) and the
//! mutation property over what a verification establishes.

mod common;

use std::time::Duration;

use proptest::prelude::*;
use sigv4_presign::s3::{Addressing, Bucket, Endpoint};
use sigv4_presign::verify::{ReceivedRequest, S3Object, Verified, Verifier, VerifyError};
use sigv4_presign::{Credentials, Error, PresignRequest};
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2024-05-01 12:00 UTC);

fn creds() -> Credentials {
    Credentials::new(common::ACCESS_KEY, common::SECRET_KEY).unwrap()
}

fn verifier() -> Verifier<impl Fn(&str) -> Option<Credentials>> {
    let c = creds();
    Verifier::new(
        move |id: &str| (id == c.access_key_id()).then(|| c.clone()),
        "us-east-1",
        "s3",
    )
    .unwrap()
}

/// Verifies `url` as received with `headers` (plus `Host`, taken from the URL).
fn verify(method: &str, url: &str, headers: &[(&str, &str)]) -> Result<Verified, VerifyError> {
    verify_with(&verifier(), method, url, headers)
}

fn verify_with<S: sigv4_presign::verify::CredentialStore>(
    verifier: &Verifier<S>,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
) -> Result<Verified, VerifyError> {
    let rest = url.split_once("://").unwrap().1;
    let (host, target) = rest.split_at(rest.find('/').unwrap());
    let mut all = vec![("Host", host)];
    all.extend_from_slice(headers);
    verifier.verify(&ReceivedRequest::new(method, target, &all), NOW)
}

fn put_url(key: &str) -> String {
    let bucket = Bucket::new("uploads", "us-east-1").unwrap();
    bucket
        .put_object(key)
        .presign(&common::presigner(), NOW)
        .unwrap()
        .into_url()
}

/// Item 1: Unsigned `x-amz-*` headers are refused, naming the header; `x-amz-content-sha256`
/// is the one S3 takes unsigned.
#[test]
fn item_01_unsigned_amz_headers_are_refused() {
    let url = put_url("report.pdf");
    for (name, value) in [
        ("x-amz-copy-source", "other-bucket/secret.pdf"),
        ("X-Amz-Acl", "public-read"),
        ("x-amz-server-side-encryption", "AES256"),
        ("x-amz-meta-owner", "mallory"),
        ("x-amz-tagging", "a=b"),
    ] {
        assert_eq!(
            verify("PUT", &url, &[(name, value)]).unwrap_err(),
            VerifyError::UnsignedHeader {
                name: name.to_ascii_lowercase()
            },
            "{name}"
        );
    }
    assert!(verify("PUT", &url, &[("x-amz-content-sha256", "UNSIGNED-PAYLOAD")]).is_ok());
    assert!(
        verify("PUT", &url, &[("content-type", "text/html")]).is_ok(),
        "not x-amz-*"
    );
    // Signed, the header verifies.
    let signed = Bucket::new("uploads", "us-east-1")
        .unwrap()
        .put_object("report.pdf")
        .acl("private")
        .presign(&common::presigner(), NOW)
        .unwrap();
    assert!(verify("PUT", signed.url(), &[("x-amz-acl", "private")]).is_ok());
}

/// Item 2: What was verified is exposed: the host, the method, and the path decoded (every
/// encoding of a path that verifies decodes to the one that was signed).
#[test]
fn item_02_verified_exposes_host_method_and_decoded_path() {
    let url = put_url("dir/hello world+€.txt");
    let ok = verify("PUT", &url, &[]).unwrap();
    assert_eq!(ok.host(), "uploads.s3.us-east-1.amazonaws.com");
    assert_eq!(ok.method(), "PUT");
    assert_eq!(ok.path(), "/dir/hello world+€.txt");
    assert_eq!(
        ok.s3_object("s3.us-east-1.amazonaws.com"),
        Some(S3Object {
            bucket: "uploads",
            key: "dir/hello world+€.txt"
        })
    );
    assert_eq!(ok.s3_object("s3.example.com"), None, "another host");
    // Path-style names the bucket in the path.
    let minio = Bucket::new("uploads", "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::custom("http://127.0.0.1:9000").unwrap());
    let url = minio
        .get_object("a%b")
        .presign(&common::presigner(), NOW)
        .unwrap()
        .into_url();
    let target = &url["http://127.0.0.1:9000".len()..];
    let headers = [("host", "127.0.0.1:9000")];
    let ok = verifier()
        .verify(
            &ReceivedRequest::new("GET", target, &headers).over_http(),
            NOW,
        )
        .unwrap();
    assert_eq!(
        ok.s3_object("127.0.0.1:9000"),
        Some(S3Object {
            bucket: "uploads",
            key: "a%b"
        })
    );
    // The same link presented to another host verifies (the keys are shared) but names
    // another host, which a server must refuse.
    let elsewhere = url.replace("127.0.0.1:9000", "evil.example");
    let target = &elsewhere["http://evil.example".len()..];
    let other = verifier().verify(
        &ReceivedRequest::new("GET", target, &[("host", "evil.example")]).over_http(),
        NOW,
    );
    assert_eq!(
        other.unwrap_err(),
        VerifyError::SignatureMismatch,
        "the host is signed"
    );
}

/// Item 3: URLs that botocore signed over a path given already encoded verify, and name the
/// key that path decodes to.
#[test]
fn item_03_urls_signed_over_the_raw_path_verify() {
    let text = include_str!("vectors/botocore-raw-paths.txt");
    let c = Credentials::new(
        "AKIDRAWPATHTEST",
        "raw/path+test/secret0123456789abcdefghij",
    )
    .unwrap();
    let verifier = Verifier::new(move |_: &str| Some(c.clone()), "us-east-1", "s3").unwrap();
    let mut cases = 0;
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split(' ').collect();
        let [name, method, key, url] = fields[..] else {
            panic!("bad line {line}")
        };
        let ok = verify_with(&verifier, method, url, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let key = key.replace("%20", " ");
        assert_eq!(
            ok.s3_object("s3.us-east-1.amazonaws.com").map(|o| o.key),
            Some(key.as_str()),
            "{name}"
        );
        // Any other byte still breaks it.
        let tampered = url.replacen("Date=2024", "Date=2025", 1);
        assert!(
            verify_with(&verifier, method, &tampered, &[]).is_err(),
            "{name}"
        );
        cases += 1;
    }
    assert_eq!(cases, 5);
    // Only for S3: a generic service has one canonical form.
    let c = Credentials::new(
        "AKIDRAWPATHTEST",
        "raw/path+test/secret0123456789abcdefghij",
    )
    .unwrap();
    let generic = Verifier::new(move |_: &str| Some(c.clone()), "us-east-1", "s3")
        .unwrap()
        .with_settings(sigv4_presign::Settings::aws_service());
    let plus = text.lines().find(|l| l.starts_with("plus ")).unwrap();
    let url = plus.split(' ').nth(3).unwrap();
    assert!(verify_with(&generic, "GET", url, &[]).is_err());
}

/// Item 4: A bounded cache of derived keys: a key seen before verifies without a derivation,
/// and the cache never lets another secret for the same key id pass.
#[test]
fn item_04_key_cache_never_mixes_secrets() {
    let right = creds();
    let url = put_url("k");
    let wrong = Credentials::new(common::ACCESS_KEY, "another-secret").unwrap();
    let swap = std::sync::atomic::AtomicBool::new(false);
    let verifier = Verifier::new(
        |_: &str| {
            Some(if swap.load(std::sync::atomic::Ordering::Relaxed) {
                wrong.clone()
            } else {
                right.clone()
            })
        },
        "us-east-1",
        "s3",
    )
    .unwrap()
    .with_key_cache(8);
    assert!(verify_with(&verifier, "PUT", &url, &[]).is_ok());
    assert!(
        verify_with(&verifier, "PUT", &url, &[]).is_ok(),
        "from the cache"
    );
    swap.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        verify_with(&verifier, "PUT", &url, &[]).unwrap_err(),
        VerifyError::SignatureMismatch,
        "the store's new secret, not the cached key"
    );
    let off = verifier.with_key_cache(0);
    assert!(verify_with(&off, "PUT", &url, &[]).is_err());
}

/// Item 5: Only the form AWS writes: 64 lower-case hex digits.
#[test]
fn item_05_signatures_only_in_lower_case_hex() {
    let url = put_url("k");
    let (head, signature) = url.split_once("X-Amz-Signature=").unwrap();
    assert!(verify("PUT", &url, &[]).is_ok());
    let upper = format!("{head}X-Amz-Signature={}", signature.to_ascii_uppercase());
    assert!(matches!(
        verify("PUT", &upper, &[]),
        Err(VerifyError::Malformed { .. })
    ));
    let escaped: String = signature
        .chars()
        .take(1)
        .map(|c| format!("%{:02X}", c as u8))
        .collect();
    let escaped = format!("{head}X-Amz-Signature={escaped}{}", &signature[1..]);
    assert!(matches!(
        verify("PUT", &escaped, &[]),
        Err(VerifyError::Malformed { .. })
    ));
}

/// Item 7: Virtual-hosted addressing only for names that are host labels.
#[test]
fn item_07_virtual_hosting_only_for_host_label_names() {
    let r2 = Endpoint::cloudflare_r2("0123456789abcdef0123456789abcdef").unwrap();
    for name in [
        "evil.example?",
        "evil.example\\",
        "a#b",
        "a@b",
        "a:b",
        "My_Bucket",
    ] {
        let auto = Bucket::new_unchecked(name, "auto")
            .unwrap()
            .with_endpoint(r2.clone());
        let url = auto.object_url("k").unwrap();
        assert!(
            url.starts_with("https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/"),
            "path-style for {name}: {url}"
        );
        let forced = auto.with_addressing(Addressing::VirtualHosted);
        assert!(
            matches!(forced.object_url("k"), Err(Error::InvalidBucketName { .. })),
            "{name}"
        );
        let accelerated = Bucket::new_unchecked(name, "us-east-1")
            .unwrap()
            .with_endpoint(Endpoint::aws().with_accelerate(true));
        assert!(accelerated.object_url("k").is_err(), "{name}");
    }
}

/// Item 9: What AWS refuses is refused before signing.
#[test]
fn item_09_refuse_early_what_aws_refuses() {
    let presigner = common::presigner();
    for method in ["get", "Get", "pUT"] {
        assert!(matches!(
            presigner.presign(&PresignRequest::new(method, "https://h/k"), NOW),
            Err(Error::InvalidMethod { .. })
        ));
    }
    for region in ["US-EAST-1", "eu_west_1", "s3.eu-west-1.amazonaws.com"] {
        let bucket = Bucket::new("my-bucket", region).unwrap();
        assert!(
            matches!(bucket.object_url("k"), Err(Error::InvalidScope { .. })),
            "{region}"
        );
    }
    // Custom endpoints keep accepting any region (Garage, MinIO, B2 name their own).
    let garage = Bucket::new("my-bucket", "garage")
        .unwrap()
        .with_endpoint(Endpoint::custom("http://127.0.0.1:3900").unwrap());
    assert!(garage.object_url("k").is_ok());
    for name in [
        "Authorization",
        "X-Amz-Date",
        "x-amz-security-token",
        "X-Amz-Signature",
    ] {
        assert!(matches!(
            presigner.presign(&PresignRequest::get("https://h/k").header(name, "v"), NOW),
            Err(Error::ReservedHeader { .. })
        ));
    }
    assert!(Endpoint::cloudflare_r2("").is_err());
    for host in ["https://-host", "https://_", "http://1.2.3.4.5"] {
        assert!(Endpoint::custom(host).is_err(), "{host}");
    }
}

/// Item 12: `Debug` of the requests shows names, never header values (an SSE-C key is one).
#[test]
fn item_12_debug_shows_no_header_values() {
    let bucket = Bucket::new("uploads", "us-east-1").unwrap();
    let s3 = bucket.put_object("k").header(
        "x-amz-server-side-encryption-customer-key",
        "U2VDckVULWtFWQ==",
    );
    let generic = PresignRequest::put("https://h/k").header(
        "x-amz-server-side-encryption-customer-key",
        "U2VDckVULWtFWQ==",
    );
    for shown in [format!("{s3:?}"), format!("{generic:?}")] {
        assert!(!shown.contains("U2VDckVULWtFWQ"), "{shown}");
        assert!(
            shown.contains("x-amz-server-side-encryption-customer-key"),
            "{shown}"
        );
    }
}

/// Mutations of a signed request: the host (case, default port, another host), the path's
/// encoding, and `x-amz-*` headers.
#[derive(Debug, Clone)]
enum Mutation {
    UpperCaseHost,
    DefaultPort,
    OtherHost,
    /// Re-encode the byte at this place of the path (`/` kept) as `%XX`, upper or lower.
    Escape(usize, bool),
    /// Decode the escape at this place of the path, if there is one there.
    Unescape(usize),
    /// Add an unsigned `x-amz-*` header.
    UnsignedHeader(&'static str),
    /// Change the value of the signed metadata header.
    SignedHeaderValue,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::UpperCaseHost),
        Just(Mutation::DefaultPort),
        Just(Mutation::OtherHost),
        (any::<usize>(), any::<bool>()).prop_map(|(i, upper)| Mutation::Escape(i, upper)),
        any::<usize>().prop_map(Mutation::Unescape),
        prop_oneof![
            Just("x-amz-copy-source"),
            Just("x-amz-acl"),
            Just("x-amz-meta-other")
        ]
        .prop_map(Mutation::UnsignedHeader),
        Just(Mutation::SignedHeaderValue),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any mutation either fails verification or yields the same decoded key and host.
    #[test]
    fn mutations_fail_or_name_the_same_object(
        key in "[a-zA-Z0-9 ~+%*()é/.-]{1,40}",
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let bucket = Bucket::new("uploads", "us-east-1").unwrap();
        let signed = bucket
            .put_object(key.as_str())
            .metadata("owner", "alice")
            .presign(&common::presigner(), NOW)
            .unwrap();
        let rest = signed.url().split_once("://").unwrap().1;
        let (host, target) = rest.split_at(rest.find('/').unwrap());
        let (path, query) = target.split_once('?').unwrap();
        let (mut host, mut path) = (host.to_owned(), path.to_owned());
        let mut headers: Vec<(String, String)> = vec![("x-amz-meta-owner".into(), "alice".into())];
        for m in &mutations {
            match m {
                Mutation::UpperCaseHost => host = host.to_ascii_uppercase(),
                Mutation::DefaultPort => host.push_str(":443"),
                Mutation::OtherHost => host = "uploads.s3.eu-west-1.amazonaws.com".into(),
                Mutation::Escape(i, upper) => {
                    let at = i % path.len();
                    if path.is_char_boundary(at) && !path[at..].starts_with('/') {
                        let c = path[at..].chars().next().unwrap();
                        let mut escaped = String::new();
                        for b in c.to_string().bytes() {
                            escaped.push_str(&if *upper { format!("%{b:02X}") } else { format!("%{b:02x}") });
                        }
                        path.replace_range(at..at + c.len_utf8(), &escaped);
                    }
                }
                Mutation::Unescape(i) => {
                    let at = i % path.len();
                    let escape = path.get(at..at + 3).filter(|e| e.starts_with('%'));
                    if let Some(byte) = escape.and_then(|e| u8::from_str_radix(&e[1..], 16).ok()).filter(|b| b.is_ascii() && *b != b'/') {
                        path.replace_range(at..at + 3, &(byte as char).to_string());
                    }
                }
                Mutation::UnsignedHeader(name) => headers.push(((*name).into(), "x".into())),
                Mutation::SignedHeaderValue => headers[0].1 = "mallory".into(),
            }
        }
        let target = format!("{path}?{query}");
        let mut all: Vec<(&str, &str)> = vec![("host", host.as_str())];
        all.extend(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let result = verifier().verify(&ReceivedRequest::new("PUT", &target, &all), NOW);
        if let Ok(ok) = result {
            prop_assert_eq!(ok.host(), "uploads.s3.us-east-1.amazonaws.com");
            prop_assert_eq!(
                ok.s3_object("s3.us-east-1.amazonaws.com").map(|o| o.key.to_owned()),
                Some(key.clone())
            );
        }
    }
}

#[test]
fn a_url_that_outlives_nothing_still_expires() {
    let url = put_url("k");
    let late = NOW + Duration::from_secs(3601);
    let rest = url.split_once("://").unwrap().1;
    let (host, target) = rest.split_at(rest.find('/').unwrap());
    let headers = [("host", host)];
    assert!(matches!(
        verifier().verify(&ReceivedRequest::new("PUT", target, &headers), late),
        Err(VerifyError::Expired { .. })
    ));
}
