//! POST policies against real servers that enforce them (s3s 0.14.1 with its file-system
//! backend, and SeaweedFS 4.48): a form within the policy stores the file; forms outside it
//! are refused with nothing stored.

mod common;

use std::time::Duration;

use common::{Response, S3Server, SeaweedFs, presigner, send};
use sigv4_presign::s3::{Bucket, Endpoint, PresignedPost};
use time::OffsetDateTime;

const BUCKET: &str = "post-bucket";

/// POSTs a multipart form: the policy's fields (some replaced), extra fields, then the file.
fn post_form(
    post: &PresignedPost,
    replace: &[(&str, &str)],
    extra: &[(&str, &str)],
    file: &[u8],
) -> Response {
    let boundary = "----sigv4presign-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    let mut field = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    for (name, value) in post.fields() {
        let value = replace
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(value, |(_, v)| *v);
        field(name, value);
    }
    for (name, value) in extra {
        field(name, value);
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let headers = [(
        "Content-Type".to_owned(),
        format!("multipart/form-data; boundary={boundary}"),
    )];
    send("POST", post.url(), &headers, &body)
}

fn exists(bucket: &Bucket, key: &str) -> bool {
    let presigner = presigner();
    let get = bucket
        .get_object(key)
        .presign(&presigner, OffsetDateTime::now_utc())
        .unwrap();
    send("GET", get.url(), &[], b"").status == 200
}

#[test]
fn s3s_stores_forms_within_the_policy_and_refuses_others() {
    let server = S3Server::start(None, &[BUCKET]);
    forms_within_the_policy_upload_and_others_are_refused(&server.ip_endpoint());
}

#[test]
fn seaweedfs_stores_forms_within_the_policy_and_refuses_others() {
    let server = SeaweedFs::start(BUCKET);
    forms_within_the_policy_upload_and_others_are_refused(&server.endpoint());

    // SeaweedFS also expands `${filename}` to the name of the file the form sends.
    let bucket = Bucket::new(BUCKET, "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::custom(&server.endpoint()).unwrap());
    let presigner = presigner();
    let post = bucket
        .post_policy("named/${filename}")
        .content_length_range(1, 1024)
        .presign(&presigner, OffsetDateTime::now_utc())
        .unwrap();
    let r = post_form(&post, &[], &[], b"named bytes");
    assert!((200..300).contains(&r.status), "{} {}", r.status, r.text());
    assert!(
        exists(&bucket, "named/photo.png"),
        "stored under the file's name"
    );
}

/// A form within the policy stores the file; forms outside it get a 4xx, nothing stored.
fn forms_within_the_policy_upload_and_others_are_refused(endpoint: &str) {
    let bucket = Bucket::new(BUCKET, "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::custom(endpoint).unwrap());
    let presigner = presigner();
    let now = OffsetDateTime::now_utc();
    let policy = |key: &str| {
        bucket
            .post_policy(key)
            .content_length_range(1, 1024)
            .content_type_starts_with("image/")
            .presign(&presigner, now)
            .unwrap()
    };
    let image = b"\x89PNG fake image bytes";

    // Within the policy: stored, same bytes.
    let post = policy("avatars/ok.png");
    let r = post_form(&post, &[], &[("Content-Type", "image/png")], image);
    assert!((200..300).contains(&r.status), "{} {}", r.status, r.text());
    let get = bucket
        .get_object("avatars/ok.png")
        .presign(&presigner, now)
        .unwrap();
    assert_eq!(send("GET", get.url(), &[], b"").body, image);

    let refused = |what: &str, r: Response, key: &str| {
        assert!(
            (400..500).contains(&r.status),
            "{what}: expected 4xx, got {} {}",
            r.status,
            r.text()
        );
        assert!(!exists(&bucket, key), "{what}: nothing stored at {key}");
    };
    // Too large.
    let post = policy("avatars/big.png");
    refused(
        "too large",
        post_form(&post, &[], &[("Content-Type", "image/png")], &[b'x'; 2048]),
        "avatars/big.png",
    );
    // Wrong Content-Type.
    let post = policy("avatars/page.html");
    refused(
        "wrong type",
        post_form(&post, &[], &[("Content-Type", "text/html")], b"<script>"),
        "avatars/page.html",
    );
    // Key outside the policy (a prefix policy, and a key elsewhere).
    let prefix = bucket
        .post_policy_with_prefix("avatars/")
        .content_length_range(1, 1024)
        .content_type_starts_with("image/")
        .presign(&presigner, now)
        .unwrap();
    refused(
        "key outside the prefix",
        post_form(
            &prefix,
            &[("key", "admin/evil.png")],
            &[("Content-Type", "image/png")],
            image,
        ),
        "admin/evil.png",
    );
    // Expired.
    let expired = bucket
        .post_policy("avatars/late.png")
        .expires_in(Duration::from_secs(60))
        .presign(&presigner, now - time::Duration::hours(2))
        .unwrap();
    refused(
        "expired",
        post_form(&expired, &[], &[], image),
        "avatars/late.png",
    );
    // Tampered signature.
    let post = policy("avatars/tampered.png");
    let signature = post
        .fields()
        .find(|(n, _)| *n == "x-amz-signature")
        .unwrap()
        .1
        .to_owned();
    let mut forged = signature.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    refused(
        "tampered signature",
        post_form(
            &post,
            &[("x-amz-signature", &forged)],
            &[("Content-Type", "image/png")],
            image,
        ),
        "avatars/tampered.png",
    );
}
