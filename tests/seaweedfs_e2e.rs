//! End to end against SeaweedFS, a second S3 implementation that checks SigV4 presigned
//! URLs (started by the test on 127.0.0.1): the keys that the s3s file-system backend cannot
//! store, and a few of the others, round-trip; tampering is refused.

mod common;

use common::{ACCESS_KEY, SeaweedFs, presigner, send, signed_headers};
use sigv4_presign::s3::{Bucket, Endpoint};
use sigv4_presign::{Credentials, Presigner};
use time::OffsetDateTime;

#[test]
fn seaweedfs_accepts_what_we_sign_and_refuses_tampering() {
    let server = SeaweedFs::start("weed-e2e");
    let presigner = presigner();
    let bucket = Bucket::new("weed-e2e", "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::custom(&server.endpoint()).unwrap());
    let now = OffsetDateTime::now_utc;

    // 1024 bytes, S3's limit; SeaweedFS's filer caps one path component at 255 bytes.
    let long_key: String = (0..1024)
        .map(|i| if i % 200 == 199 { '/' } else { 'k' })
        .collect();
    let punctuation: String = (0x21u8..0x7f)
        .map(char::from)
        .filter(|c| !c.is_ascii_alphanumeric() && *c != '/')
        .collect();
    for key in [
        "/leading-slash",
        long_key.as_str(),
        "with space/and+plus%25.txt",
        "日本語/😀/e\u{301}.txt",
        punctuation.as_str(),
        "a//double//slash",
    ] {
        let body = format!("seaweed {key}").into_bytes();
        let put = bucket
            .put_object(key)
            .content_type("text/plain")
            .presign(&presigner, now())
            .unwrap();
        let r = send("PUT", put.url(), &signed_headers(&put), &body);
        let shown: String = key.chars().take(40).collect();
        assert_eq!(r.status, 200, "PUT {shown:?}: {}", r.text());
        let get = bucket.get_object(key).presign(&presigner, now()).unwrap();
        let r = send("GET", get.url(), &[], b"");
        assert_eq!(r.status, 200, "GET {shown:?}: {}", r.text());
        assert_eq!(r.body, body, "{shown:?}");
    }

    // Refusals, with the object unchanged.
    let key = "/leading-slash";
    let good = bucket
        .put_object(key)
        .presign(&presigner, now())
        .unwrap()
        .into_url();
    let mut tampered = good.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'a' { 'b' } else { 'a' });
    let wrong = Presigner::new(
        Credentials::new(ACCESS_KEY, "wrong-secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let expired = bucket
        .put_object(key)
        .expires_in(std::time::Duration::from_secs(1))
        .presign(&presigner, now() - time::Duration::hours(1))
        .unwrap();
    for (what, url) in [
        ("tampered signature", tampered),
        (
            "wrong secret",
            bucket
                .put_object(key)
                .presign(&wrong, now())
                .unwrap()
                .into_url(),
        ),
        ("expired", expired.into_url()),
        (
            "added parameter",
            good.replace("?X-Amz-Algorithm", "?foo=bar&X-Amz-Algorithm"),
        ),
    ] {
        let r = send("PUT", &url, &[], b"overwritten");
        assert_eq!(r.status, 403, "{what}: {}", r.text());
    }
    let get = bucket.get_object(key).presign(&presigner, now()).unwrap();
    assert_eq!(
        send("GET", get.url(), &[], b"").body,
        format!("seaweed {key}").into_bytes()
    );
}
