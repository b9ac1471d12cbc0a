//! Item 6 of the hardening review: verifying S3 POST uploads server side. Forms made by
//! boto3's `generate_presigned_post` (tests/vectors/botocore-post.txt) and by the crate's
//! own `PostPolicy` are accepted; every single-field change is refused, with a typed error.

mod common;

use sigv4_presign::s3::Bucket;
use sigv4_presign::verify::{ReceivedForm, Verifier, VerifyError};
use sigv4_presign::{Credentials, Presigner};
use time::OffsetDateTime;
use time::macros::datetime;

/// A boto3 form: its fields, and the credentials that signed it.
struct Boto3Form {
    name: String,
    token: Option<String>,
    fields: Vec<(String, String)>,
}

fn boto3_forms() -> Vec<Boto3Form> {
    let mut forms: Vec<Boto3Form> = Vec::new();
    for line in include_str!("vectors/botocore-post.txt").lines() {
        if let Some(name) = line.strip_prefix("=== ") {
            forms.push(Boto3Form {
                name: name.into(),
                token: None,
                fields: Vec::new(),
            });
        } else if let Some(token) = line.strip_prefix("token ") {
            forms.last_mut().unwrap().token = Some(token.into());
        } else if let Some(pair) = line.strip_prefix("expect ") {
            let (n, v) = pair.split_once('=').unwrap();
            forms.last_mut().unwrap().fields.push((n.into(), v.into()));
        }
    }
    assert_eq!(forms.len(), 3);
    forms
}

fn verifier_for(
    creds: Credentials,
    region: &str,
) -> Verifier<impl Fn(&str) -> Option<Credentials>> {
    Verifier::new(
        move |id: &str| (id == creds.access_key_id()).then(|| creds.clone()),
        region,
        "s3",
    )
    .unwrap()
}

fn verify(
    verifier: &Verifier<impl Fn(&str) -> Option<Credentials>>,
    bucket: &str,
    fields: &[(String, String)],
    file: (&str, u64),
    now: OffsetDateTime,
) -> Result<sigv4_presign::verify::VerifiedPost, VerifyError> {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    verifier.verify_post(
        &ReceivedForm::new(bucket, &pairs, file.1).with_file_name(file.0),
        now,
    )
}

/// The form with one field's value changed (or, with `None`, the field removed).
fn changed(fields: &[(String, String)], name: &str, value: Option<&str>) -> Vec<(String, String)> {
    fields
        .iter()
        .filter_map(|(n, v)| match (n == name, value) {
            (true, None) => None,
            (true, Some(new)) => Some((n.clone(), new.to_owned())),
            (false, _) => Some((n.clone(), v.clone())),
        })
        .collect()
}

/// What the form's other fields must be for its policy (the caller's, from the vector).
fn with_content_type(mut fields: Vec<(String, String)>, name: &str) -> Vec<(String, String)> {
    if name == "prefix-size-and-type" {
        fields.push(("Content-Type".into(), "image/png".into()));
    }
    fields
}

#[test]
fn boto3_forms_verify_and_every_single_field_change_is_refused() {
    let now = datetime!(2024-05-01 12:40:00 UTC);
    for form in boto3_forms() {
        let mut creds = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap();
        if let Some(token) = &form.token {
            creds = creds.with_session_token(token.as_str()).unwrap();
        }
        let verifier = verifier_for(creds, "eu-west-1");
        let fields = with_content_type(form.fields.clone(), &form.name);
        let file = ("photo.png", 1000);
        let ok = verify(&verifier, "post-bucket", &fields, file, now)
            .unwrap_or_else(|e| panic!("{}: {e}", form.name));
        let key = fields
            .iter()
            .find(|(n, _)| n == "key")
            .unwrap()
            .1
            .replace("${filename}", "photo.png");
        assert_eq!(
            (ok.bucket(), ok.key()),
            ("post-bucket", key.as_str()),
            "{}",
            form.name
        );
        assert_eq!(ok.access_key_id(), "AKIAIOSFODNN7EXAMPLE");

        // Each field changed (its first character, which a prefix condition binds too),
        // or removed: refused.
        for (name, value) in &fields {
            let first = value.chars().next().unwrap_or('x');
            let other = format!(
                "{}{}",
                if first == 'a' { 'b' } else { 'a' },
                &value[first.len_utf8()..]
            );
            for tampered in [
                changed(&fields, name, Some(&other)),
                changed(&fields, name, None),
            ] {
                let result = verify(&verifier, "post-bucket", &tampered, file, now);
                assert!(result.is_err(), "{}: {name} changed: {result:?}", form.name);
            }
        }
        // An extra field no condition names.
        let mut extra = fields.clone();
        extra.push(("x-amz-meta-extra".into(), "1".into()));
        assert_eq!(
            verify(&verifier, "post-bucket", &extra, file, now).unwrap_err(),
            VerifyError::FieldNotInPolicy {
                name: "x-amz-meta-extra".into()
            }
        );
        // x-ignore-* fields are exempt.
        let mut ignored = fields.clone();
        ignored.push(("x-ignore-submit".into(), "Upload".into()));
        assert!(verify(&verifier, "post-bucket", &ignored, file, now).is_ok());
        // Another bucket, and after the expiration (boto3's policies last 10 minutes).
        assert!(verify(&verifier, "other-bucket", &fields, file, now).is_err());
        assert!(matches!(
            verify(
                &verifier,
                "post-bucket",
                &fields,
                file,
                datetime!(2024-05-01 12:44:56 UTC)
            ),
            Err(VerifyError::PolicyExpired { .. })
        ));
    }
}

#[test]
fn forms_of_the_crates_own_policies_verify() {
    let now = datetime!(2024-05-01 12:00 UTC);
    let presigner = common::presigner();
    let bucket = Bucket::new("uploads", "us-east-1").unwrap();
    let post = bucket
        .post_policy_with_prefix("avatars/user-42/")
        .content_length_range(1, 5 * 1024 * 1024)
        .content_type_starts_with("image/")
        .metadata("owner", "user 42")
        .success_action_status(201)
        .presign(&presigner, now)
        .unwrap();
    let mut fields: Vec<(String, String)> =
        post.fields().map(|(n, v)| (n.into(), v.into())).collect();
    fields.push(("Content-Type".into(), "image/png".into()));
    let verifier = verifier_for(
        Credentials::new(common::ACCESS_KEY, common::SECRET_KEY).unwrap(),
        "us-east-1",
    );
    let ok = verify(&verifier, "uploads", &fields, ("me.png", 2048), now).unwrap();
    assert_eq!(ok.key(), "avatars/user-42/me.png");
    assert_eq!(ok.field("X-Amz-Meta-Owner"), Some("user 42"));
    assert_eq!(ok.field("content-type"), Some("image/png"));

    // The size range is inclusive, both ends.
    for (size, fits) in [
        (0, false),
        (1, true),
        (5 * 1024 * 1024, true),
        (5 * 1024 * 1024 + 1, false),
    ] {
        let result = verify(&verifier, "uploads", &fields, ("me.png", size), now);
        assert_eq!(result.is_ok(), fits, "{size}: {result:?}");
    }
    // The type must start with image/, for each type a Content-Type lists.
    for (content_type, fits) in [
        ("image/gif", true),
        ("text/html", false),
        ("image/png, text/html", false),
    ] {
        let other = changed(&fields, "Content-Type", Some(content_type));
        assert_eq!(
            verify(&verifier, "uploads", &other, ("me.png", 10), now).is_ok(),
            fits,
            "{content_type}"
        );
    }
    // `${filename}` is substituted before the key's condition is checked.
    let escape = verify(&verifier, "uploads", &fields, ("../../etc/passwd", 10), now).unwrap();
    assert_eq!(
        escape.key(),
        "avatars/user-42/../../etc/passwd",
        "a key, not a path"
    );
    let outside = changed(&fields, "key", Some("other/${filename}"));
    assert!(matches!(
        verify(&verifier, "uploads", &outside, ("me.png", 10), now),
        Err(VerifyError::ConditionFailed { .. })
    ));
    // Field names compare without case; the same field twice is refused.
    let upper: Vec<(String, String)> = fields
        .iter()
        .map(|(n, v)| (n.to_ascii_uppercase(), v.clone()))
        .collect();
    assert!(verify(&verifier, "uploads", &upper, ("me.png", 10), now).is_ok());
    let mut twice = fields.clone();
    twice.push(("content-type".into(), "image/png".into()));
    assert!(matches!(
        verify(&verifier, "uploads", &twice, ("me.png", 10), now),
        Err(VerifyError::DuplicateField { .. })
    ));
    // The signature exactly as AWS writes it: lower-case hex.
    let signature = fields
        .iter()
        .find(|(n, _)| n == "x-amz-signature")
        .unwrap()
        .1
        .to_ascii_uppercase();
    let upper_signature = changed(&fields, "x-amz-signature", Some(&signature));
    assert!(matches!(
        verify(&verifier, "uploads", &upper_signature, ("me.png", 10), now),
        Err(VerifyError::Malformed { .. })
    ));
    // Credentials with a token require the form to carry exactly that token.
    let with_token = Credentials::new(common::ACCESS_KEY, common::SECRET_KEY)
        .unwrap()
        .with_session_token("the-token")
        .unwrap();
    assert_eq!(
        verify(
            &verifier_for(with_token, "us-east-1"),
            "uploads",
            &fields,
            ("me.png", 10),
            now
        )
        .unwrap_err(),
        VerifyError::SessionTokenMismatch
    );
}

/// CVE-2023-43040 (Ceph RGW): a form's `bucket` field stood in for the URL's bucket when
/// the policy was checked. Here the URL's bucket is the one checked, and a form naming
/// another is refused.
#[test]
fn a_bucket_field_cannot_stand_in_for_the_urls_bucket() {
    let now = datetime!(2024-05-01 12:00 UTC);
    let presigner = Presigner::new(
        Credentials::new(common::ACCESS_KEY, common::SECRET_KEY).unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let policy_bucket = Bucket::new("bucket-a", "us-east-1").unwrap();
    let post = policy_bucket
        .post_policy("k")
        .presign(&presigner, now)
        .unwrap();
    let mut fields: Vec<(String, String)> =
        post.fields().map(|(n, v)| (n.into(), v.into())).collect();
    fields.push(("bucket".into(), "bucket-a".into()));
    let verifier = verifier_for(
        Credentials::new(common::ACCESS_KEY, common::SECRET_KEY).unwrap(),
        "us-east-1",
    );
    // Posted where it was signed for: fine, with or without the field.
    assert!(verify(&verifier, "bucket-a", &fields, ("f", 1), now).is_ok());
    // Posted to bucket-b with bucket=bucket-a in the form: refused.
    assert_eq!(
        verify(&verifier, "bucket-b", &fields, ("f", 1), now).unwrap_err(),
        VerifyError::BucketMismatch {
            form: "bucket-a".into(),
            url: "bucket-b".into()
        }
    );
    // Posted to bucket-b without the field: the bucket condition fails.
    let without: Vec<(String, String)> = fields
        .iter()
        .filter(|(n, _)| n != "bucket")
        .cloned()
        .collect();
    assert!(matches!(
        verify(&verifier, "bucket-b", &without, ("f", 1), now),
        Err(VerifyError::ConditionFailed { .. })
    ));
}

#[test]
fn malformed_policies_and_forms_are_refused_with_a_reason() {
    let now = datetime!(2024-05-01 12:00 UTC);
    let verifier = verifier_for(
        Credentials::new(common::ACCESS_KEY, common::SECRET_KEY).unwrap(),
        "us-east-1",
    );
    let presigner = common::presigner();
    let post = Bucket::new("uploads", "us-east-1")
        .unwrap()
        .post_policy("k")
        .presign(&presigner, now)
        .unwrap();
    let fields: Vec<(String, String)> = post.fields().map(|(n, v)| (n.into(), v.into())).collect();
    for missing in [
        "key",
        "policy",
        "x-amz-signature",
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
    ] {
        assert_eq!(
            verify(
                &verifier,
                "uploads",
                &changed(&fields, missing, None),
                ("f", 1),
                now
            )
            .unwrap_err(),
            VerifyError::MissingField {
                name: missing.into()
            },
        );
    }
    // A policy signed correctly but malformed: each is refused as an invalid policy.
    let key = presigner.signing_key(now).unwrap();
    let sign = |json: &str| {
        let policy = common::base64_encode(json.as_bytes());
        let signature: String = key
            .sign(policy.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let f = changed(&fields, "policy", Some(&policy));
        changed(&f, "x-amz-signature", Some(&signature))
    };
    let standard = r#"{"bucket": "uploads"}, {"key": "k"}, {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "CRED"}, {"x-amz-date": "20240501T120000Z"}"#
        .replace("CRED", &fields.iter().find(|(n, _)| n == "x-amz-credential").unwrap().1);
    for (json, says) in [
        ("[]".to_owned(), "JSON object"),
        (
            format!(r#"{{"conditions": [{standard}]}}"#),
            "no expiration",
        ),
        (
            format!(r#"{{"expiration": "tomorrow", "conditions": [{standard}]}}"#),
            "RFC 3339",
        ),
        (
            r#"{"expiration": "2024-05-01T13:00:00Z"}"#.to_owned(),
            "no conditions",
        ),
        (
            format!(
                r#"{{"expiration": "2024-05-01T13:00:00Z", "conditions": [{standard}], "x": 1}}"#
            ),
            "other than",
        ),
        (
            format!(
                r#"{{"expiration": "2024-05-01T13:00:00Z", "conditions": [{standard}, {{"a": "1", "b": "2"}}]}}"#
            ),
            "one field",
        ),
        (
            format!(
                r#"{{"expiration": "2024-05-01T13:00:00Z", "conditions": [{standard}, ["starts-with", "$bucket", ""]]}}"#
            ),
            "exact conditions only",
        ),
        (
            format!(
                r#"{{"expiration": "2024-05-01T13:00:00Z", "conditions": [{standard}, ["content-length-range", 10, 1]]}}"#
            ),
            "above its maximum",
        ),
        (
            format!(
                r#"{{"expiration": "2024-05-01T13:00:00Z", "conditions": [{standard}, ["content-length-range", -1, 1]]}}"#
            ),
            "whole number",
        ),
        (
            format!(
                r#"{{"expiration": "2024-05-01T13:00:00Z", "conditions": [{standard}, ["in", "$key", "k"]]}}"#
            ),
            "eq, starts-with",
        ),
        (
            format!(
                r#"{{"expiration": "2024-05-01T13:00:00Z", "conditions": [{standard}, ["eq", "key", "k"]]}}"#
            ),
            "$name",
        ),
    ] {
        let error = verify(&verifier, "uploads", &sign(&json), ("f", 1), now).unwrap_err();
        assert!(
            matches!(&error, VerifyError::InvalidPolicy { reason } if reason.contains(says)),
            "{json}: {error}"
        );
    }
    let good = format!(
        r#"{{"expiration": "2024-05-01T13:00:00.000Z", "conditions": [{standard}, ["EQ", "$Key", "k"], ["content-length-range", "0", "10"]]}}"#
    );
    assert!(verify(&verifier, "uploads", &sign(&good), ("f", 1), now).is_ok());
}
