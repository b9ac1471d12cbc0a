//! Verifying arbitrary POST forms never panics, and a form that verifies keeps every
//! condition of its policy: the fuzzer edits a valid form made by `PostPolicy`, or signs a
//! policy of its own making.
#![no_main]

use arbitrary::Arbitrary;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use sigv4_presign::s3::Bucket;
use sigv4_presign::verify::{ReceivedForm, Verifier};
use sigv4_presign::{Credentials, Presigner, SigningKey};
use time::macros::{date, datetime};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    /// Fields set (replacing one of the same name) or added to the form.
    edits: Vec<(&'a str, &'a str)>,
    /// Fields removed, by position.
    removals: Vec<u8>,
    bucket_is_other: bool,
    file_length: u64,
    file_name: Option<&'a str>,
    /// A policy document of the fuzzer's own, signed with the right key.
    own_policy: Option<&'a str>,
    minutes_later: u16,
}

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fuzz_target!(|input: Input<'_>| {
    let creds = Credentials::new("AKIDEXAMPLE", SECRET).unwrap();
    let presigner = Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
    let signed_at = datetime!(2024-05-01 12:00 UTC);
    let post = Bucket::new("uploads", "us-east-1")
        .unwrap()
        .post_policy_with_prefix("incoming/")
        .content_length_range(1, 1000)
        .content_type_starts_with("image/")
        .presign(&presigner, signed_at)
        .unwrap();
    let mut fields: Vec<(String, String)> =
        post.fields().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    if let Some(policy) = input.own_policy {
        let encoded = base64::engine::general_purpose::STANDARD.encode(policy);
        let key = SigningKey::derive(&creds, date!(2024 - 05 - 01), "us-east-1", "s3").unwrap();
        let signature = hex::encode(key.sign(encoded.as_bytes()));
        for (name, value) in &mut fields {
            match name.as_str() {
                "policy" => *value = encoded.clone(),
                "x-amz-signature" => *value = signature.clone(),
                _ => {}
            }
        }
    }
    for (name, value) in &input.edits {
        match fields.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(field) => field.1 = value.to_string(),
            None => fields.push((name.to_string(), value.to_string())),
        }
    }
    for &at in &input.removals {
        if !fields.is_empty() {
            fields.remove(usize::from(at) % fields.len());
        }
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let bucket = if input.bucket_is_other { "other" } else { "uploads" };
    let mut form = ReceivedForm::new(bucket, &borrowed, input.file_length);
    if let Some(name) = input.file_name {
        form = form.with_file_name(name);
    }
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()), "us-east-1", "s3").unwrap();
    let now = signed_at + time::Duration::minutes(i64::from(input.minutes_later));
    let Ok(verified) = verifier.verify_post(&form, now) else { return };
    assert_eq!(verified.bucket(), "uploads", "only the URL's bucket");
    if input.own_policy.is_none() {
        // The builder's conditions all held.
        assert!(verified.key().starts_with("incoming/"), "{:?}", verified.key());
        assert!((1..=1000).contains(&input.file_length));
        let content_type = verified.field("content-type").or(verified.field("Content-Type"));
        assert!(content_type.is_some_and(|t| t.starts_with("image/")), "{content_type:?}");
        assert!(now < verified.expires_at());
    }
});
