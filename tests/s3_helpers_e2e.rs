//! The S3 helpers against both real servers the tests run (s3s 0.14.1 in process, SeaweedFS
//! 4.48): a multipart upload driven by the generated bodies and the parsed responses;
//! conditional writes refused with 412 where the condition fails; a non-ASCII file name
//! that arrives intact in `Content-Disposition`.

mod common;

use common::{S3Server, SeaweedFs, presigner, send, signed_headers};
use sigv4_presign::s3::multipart::{
    complete_multipart_upload_body, completed_etag, part_etag, upload_id_from_response,
};
use sigv4_presign::s3::{Bucket, Endpoint, content_disposition_attachment};
use time::OffsetDateTime;

fn bucket(name: &str, endpoint: &str) -> Bucket {
    Bucket::new(name, "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::custom(endpoint).unwrap())
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Create, three parts through presigned URLs, complete with the generated body, read back.
fn multipart(bucket: &Bucket) {
    let p = presigner();
    let key = "multipart/three parts.bin";
    let create = bucket
        .create_multipart_upload(key)
        .presign(&p, now())
        .unwrap();
    let r = send("POST", create.url(), &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    let upload_id = upload_id_from_response(&r.text()).unwrap();

    // Every part but the last holds at least 5 MiB.
    let parts = [
        vec![b'a'; 5 << 20],
        vec![b'b'; 5 << 20],
        b"the tail".to_vec(),
    ];
    let mut etags = Vec::new();
    for (i, body) in parts.iter().enumerate() {
        let number = i as u32 + 1;
        let signed = bucket
            .upload_part(key, &upload_id, number)
            .presign(&p, now())
            .unwrap();
        let r = send("PUT", signed.url(), &[], body);
        assert_eq!(r.status, 200, "part {number}: {}", r.text());
        let headers: Vec<(&str, &str)> = r
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        etags.push((number, part_etag(headers).unwrap().to_owned()));
    }
    let body = complete_multipart_upload_body(etags.iter().map(|(n, e)| (*n, e))).unwrap();
    let complete = bucket
        .complete_multipart_upload(key, &upload_id)
        .presign(&p, now())
        .unwrap();
    let r = send("POST", complete.url(), &[], body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    let etag = completed_etag(&r.text()).unwrap();
    assert!(
        etag.ends_with("-3\""),
        "a multipart ETag counts its parts: {etag}"
    );

    let get = bucket.get_object(key).presign(&p, now()).unwrap();
    let r = send("GET", get.url(), &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        parts.concat(),
        "the object is the three parts, in order"
    );
}

/// `If-None-Match: *` refuses to overwrite and creates; `If-Match` is a compare-and-swap.
fn conditional_writes(bucket: &Bucket) {
    let p = presigner();
    let put = |signed: sigv4_presign::PresignedUrl, body: &[u8]| {
        send("PUT", signed.url(), &signed_headers(&signed), body)
    };
    let plain = bucket.put_object("taken").presign(&p, now()).unwrap();
    let first = put(plain, b"first");
    assert_eq!(first.status, 200, "{}", first.text());

    let create_only = bucket
        .put_object("taken")
        .if_none_match()
        .presign(&p, now())
        .unwrap();
    assert_eq!(
        create_only.headers().collect::<Vec<_>>(),
        [("if-none-match", "*")]
    );
    let r = put(create_only, b"second");
    assert_eq!(r.status, 412, "an existing key is kept: {}", r.text());
    let fresh = bucket
        .put_object("fresh")
        .if_none_match()
        .presign(&p, now())
        .unwrap();
    let r = put(fresh, b"new");
    assert_eq!(r.status, 200, "a new key is created: {}", r.text());

    // Compare-and-swap on the ETag the first write returned.
    let current = first.header("etag").unwrap().to_owned();
    let stale = bucket
        .put_object("taken")
        .if_match("\"0123456789abcdef0123456789abcdef\"")
        .presign(&p, now())
        .unwrap();
    assert_eq!(put(stale, b"lost").status, 412);
    let swap = bucket
        .put_object("taken")
        .if_match(current)
        .presign(&p, now())
        .unwrap();
    let r = put(swap, b"third");
    assert_eq!(r.status, 200, "{}", r.text());

    let get = bucket.get_object("taken").presign(&p, now()).unwrap();
    assert_eq!(send("GET", get.url(), &[], b"").body, b"third");
}

/// `résumé 2024 "final".pdf` reaches the browser as it was named.
fn content_disposition(bucket: &Bucket) {
    let p = presigner();
    let name = "résumé 2024 \"final\".pdf";
    let disposition = content_disposition_attachment(name);
    let upload = bucket
        .put_object("cv.pdf")
        .content_disposition(disposition.clone())
        .presign(&p, now())
        .unwrap();
    let r = send("PUT", upload.url(), &signed_headers(&upload), b"%PDF-1.7");
    assert_eq!(r.status, 200, "{}", r.text());
    let stored = bucket.get_object("cv.pdf").presign(&p, now()).unwrap();
    let r = send("GET", stored.url(), &[], b"");
    assert_eq!(r.header("content-disposition"), Some(disposition.as_str()));

    let other = content_disposition_attachment("Übersicht – 2024.pdf");
    let link = bucket
        .get_object("cv.pdf")
        .response_content_disposition(other.clone())
        .presign(&p, now())
        .unwrap();
    let r = send("GET", link.url(), &[], b"");
    assert_eq!(r.status, 200);
    let got = r.header("content-disposition").unwrap();
    assert_eq!(got, other);
    // What a browser reads from it: the exact name, from `filename*`.
    let encoded = got.split("filename*=UTF-8''").nth(1).unwrap();
    assert_eq!(common::percent_decode(encoded), "Übersicht – 2024.pdf");
}

#[test]
fn s3s_multipart_conditional_writes_and_dispositions() {
    let server = S3Server::start(None, &["helpers"]);
    let bucket = bucket("helpers", &server.ip_endpoint());
    multipart(&bucket);
    conditional_writes(&bucket);
    content_disposition(&bucket);
}

#[test]
fn seaweedfs_multipart_conditional_writes_and_dispositions() {
    let server = SeaweedFs::start("helpers");
    let bucket = bucket("helpers", &server.endpoint());
    multipart(&bucket);
    conditional_writes(&bucket);
    content_disposition(&bucket);
}
