//! S3 POST policies: byte for byte boto3's `generate_presigned_post` (policy JSON, its
//! base64, the signature and every field), escaping that keeps values inside their
//! conditions, and refusals.

mod common;

use std::time::Duration;

use sigv4_presign::s3::{Bucket, PostPolicy, PresignedPost};
use sigv4_presign::{Credentials, Error, Presigner, Settings};
use time::macros::datetime;

struct Case {
    name: String,
    token: Option<String>,
    expect: Vec<(String, String)>,
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for line in include_str!("vectors/botocore-post.txt").lines() {
        if let Some(name) = line.strip_prefix("=== ") {
            cases.push(Case {
                name: name.into(),
                token: None,
                expect: Vec::new(),
            });
        } else if let Some(token) = line.strip_prefix("token ") {
            cases.last_mut().unwrap().token = Some(token.into());
        } else if let Some(pair) = line.strip_prefix("expect ") {
            let (n, v) = pair.split_once('=').unwrap();
            cases.last_mut().unwrap().expect.push((n.into(), v.into()));
        }
    }
    cases
}

#[test]
fn boto3_generate_presigned_post_byte_for_byte() {
    let cases = cases();
    assert_eq!(cases.len(), 3);
    let bucket = Bucket::new("post-bucket", "eu-west-1").unwrap();
    let time = datetime!(2024-05-01 12:34:56 UTC);
    for case in &cases {
        let mut creds = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap();
        if let Some(token) = &case.token {
            creds = creds.with_session_token(token.as_str()).unwrap();
        }
        let presigner = Presigner::new(creds, "eu-west-1", "s3").unwrap();
        let policy: PostPolicy<'_> = match case.name.as_str() {
            "prefix-size-and-type" => bucket
                .post_policy_with_prefix("uploads/")
                .content_length_range(1, 5_242_880)
                .content_type_starts_with("image/"),
            "exact-key-fields-and-token" => bucket
                .post_policy("docs/report 1.pdf")
                .acl("private")
                .content_type("application/pdf")
                .success_action_status(201)
                .metadata("owner", "user 42"),
            "unicode-key" => bucket.post_policy("日本/é \"quoted\".txt"),
            other => panic!("unknown case {other}"),
        };
        let post = policy
            .expires_in(Duration::from_secs(600))
            .presign(&presigner, time)
            .unwrap();
        let ours: Vec<(String, String)> = post
            .fields()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(ours, case.expect, "{}: every field, in order", case.name);
        assert_eq!(
            post.url(),
            "https://post-bucket.s3.eu-west-1.amazonaws.com/"
        );
    }
}

fn sample(key: &str) -> PresignedPost {
    let presigner = Presigner::new(
        Credentials::new("AKID", "secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let bucket = Bucket::new("b-bucket", "us-east-1").unwrap();
    bucket
        .post_policy(key)
        .metadata("note", "\"}, [\"starts-with\", \"$key\", \"")
        .presign(&presigner, datetime!(2024-05-01 12:00 UTC))
        .unwrap()
}

#[test]
fn values_cannot_inject_conditions() {
    let post = sample("a\"}, {\"key\": \"evil");
    let policy = post.fields().find(|(n, _)| *n == "policy").unwrap().1;
    let json = String::from_utf8(common::base64_decode(policy)).unwrap();
    assert!(
        json.contains(r#"{"key": "a\"}, {\"key\": \"evil"}"#),
        "{json}"
    );
    assert!(
        json.contains(r#"{"x-amz-meta-note": "\"}, [\"starts-with\", \"$key\", \""}"#),
        "{json}"
    );
    assert_eq!(
        json.matches("[\"starts-with\"").count(),
        0,
        "no condition but the escaped text: {json}"
    );
    // Every field the form sends is covered by a condition (but the policy and signature).
    for (name, _) in post
        .fields()
        .filter(|(n, _)| *n != "policy" && *n != "x-amz-signature")
    {
        assert!(
            json.contains(&format!("{{\"{name}\": ")),
            "{name} has a condition: {json}"
        );
    }
}

#[test]
fn json_and_curl_output() {
    let post = sample("k");
    let json = post.to_json();
    assert!(json.starts_with(
        r#"{"url": "https://b-bucket.s3.us-east-1.amazonaws.com/", "fields": {"x-amz-meta-note": "#
    ));
    let curl = post.curl_command("photo's.jpg");
    assert!(
        curl.starts_with("curl --form-string 'x-amz-meta-note="),
        "{curl}"
    );
    assert!(
        curl.ends_with(
            " -F 'file=@\"photo'\\''s.jpg\"' 'https://b-bucket.s3.us-east-1.amazonaws.com/'"
        ),
        "{curl}"
    );
}

#[test]
fn refusals() {
    let bucket = Bucket::new("b-bucket", "us-east-1").unwrap();
    let t = datetime!(2024-05-01 12:00 UTC);
    let ok = Presigner::new(
        Credentials::new("AKID", "secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let err = bucket
        .post_policy("k")
        .expires_in(Duration::from_secs(604_801))
        .presign(&ok, t)
        .unwrap_err();
    assert_eq!(err, Error::ExpiresOutOfRange { seconds: 604_801 });
    let other_region = Presigner::new(
        Credentials::new("AKID", "secret").unwrap(),
        "eu-west-1",
        "s3",
    )
    .unwrap();
    assert!(matches!(
        bucket.post_policy("k").presign(&other_region, t),
        Err(Error::PresignerMismatch { .. })
    ));
    let generic = ok.clone().with_settings(Settings::aws_service());
    assert!(matches!(
        bucket.post_policy("k").presign(&generic, t),
        Err(Error::PresignerMismatch { .. })
    ));
    assert!(matches!(
        bucket.post_policy("k").field("", "v").presign(&ok, t),
        Err(Error::InvalidFormField { .. })
    ));
}

/// Item 8 of the hardening review: the builder refuses fields the form writes itself,
/// fields named twice, names that could break the form, keys S3 refuses and upside-down
/// size ranges.
#[test]
fn post_policy_builder_refuses_reserved_duplicate_and_malformed_fields() {
    let bucket = Bucket::new("b-bucket", "us-east-1").unwrap();
    let t = datetime!(2024-05-01 12:00 UTC);
    let presigner = common::presigner();
    let refused =
        |policy: sigv4_presign::s3::PostPolicy<'_>| policy.presign(&presigner, t).unwrap_err();
    for name in [
        "policy",
        "X-Amz-Signature",
        "key",
        "bucket",
        "file",
        "x-amz-credential",
        "x-amz-algorithm",
        "x-amz-date",
        "x-amz-security-token",
    ] {
        assert!(
            matches!(
                refused(bucket.post_policy("k").field(name, "x")),
                Error::InvalidFormField { .. }
            ),
            "{name}"
        );
        assert!(
            matches!(
                refused(bucket.post_policy("k").field_starts_with(name, "")),
                Error::InvalidFormField { .. }
            ),
            "{name}"
        );
    }
    for policy in [
        bucket
            .post_policy("k")
            .content_type("a/b")
            .content_type("c/d"),
        bucket
            .post_policy("k")
            .content_type("a/b")
            .field("content-type", "c/d"),
        bucket
            .post_policy("k")
            .content_type("a/b")
            .content_type_starts_with("a/"),
        bucket.post_policy("k").field("a\r\nb", "v"),
        bucket.post_policy("k").field("a\"b", "v"),
        bucket.post_policy("k").field("", "v"),
    ] {
        assert!(matches!(refused(policy), Error::InvalidFormField { .. }));
    }
    for key in [String::new(), "k".repeat(1025)] {
        assert!(matches!(
            refused(bucket.post_policy(key)),
            Error::InvalidObjectKey { .. }
        ));
    }
    assert_eq!(
        refused(bucket.post_policy("k").content_length_range(10, 9)),
        Error::InvalidLengthRange { min: 10, max: 9 }
    );
    assert!(
        bucket
            .post_policy("k")
            .content_length_range(9, 9)
            .presign(&presigner, t)
            .is_ok()
    );
    assert!(
        bucket
            .post_policy_with_prefix("")
            .presign(&presigner, t)
            .is_ok()
    );
}

/// Item 8: curl reads `;type=`, `;filename=` and `,` after `-F file=@NAME` as options; the
/// name is double-quoted, with `\` before `"` and `\`.
#[test]
fn curl_command_quotes_the_file_name_for_curl() {
    let post = sample("k");
    for (file, quoted) in [
        ("a;type=text/html", r#"-F 'file=@"a;type=text/html"'"#),
        ("a,b;filename=x", r#"-F 'file=@"a,b;filename=x"'"#),
        (r#"say "hi"\.txt"#, r#"-F 'file=@"say \"hi\"\\.txt"'"#),
    ] {
        let curl = post.curl_command(file);
        assert!(curl.contains(quoted), "{curl}");
    }
}
