//! The URL shapes of every endpoint kind, the addressing rules, key encoding, and the
//! parameters and headers of every S3 operation.

use std::time::Duration;

use sigv4_presign::s3::{Addressing, Bucket, ChecksumAlgorithm, Endpoint};
use sigv4_presign::{Credentials, Error, PresignedUrl, Presigner, Settings};
use time::macros::datetime;

fn bucket(name: &str, region: &str) -> Bucket {
    Bucket::new(name, region).unwrap()
}

fn url(bucket: &Bucket, key: &str) -> String {
    bucket.object_url(key).unwrap()
}

#[test]
fn aws_regional_endpoints() {
    assert_eq!(
        url(&bucket("bk1", "us-east-1"), "k"),
        "https://bk1.s3.us-east-1.amazonaws.com/k"
    );
    assert_eq!(
        url(&bucket("bk1", "eu-west-3"), "k"),
        "https://bk1.s3.eu-west-3.amazonaws.com/k"
    );
    assert_eq!(
        url(&bucket("bk1", "cn-north-1"), "k"),
        "https://bk1.s3.cn-north-1.amazonaws.com.cn/k"
    );
    assert_eq!(
        url(&bucket("bk1", "cn-northwest-1"), "k"),
        "https://bk1.s3.cn-northwest-1.amazonaws.com.cn/k"
    );
    assert_eq!(
        url(&bucket("bk1", "us-gov-west-1"), "k"),
        "https://bk1.s3.us-gov-west-1.amazonaws.com/k"
    );
    let path = bucket("bk1", "us-east-1").with_addressing(Addressing::Path);
    assert_eq!(url(&path, "k"), "https://s3.us-east-1.amazonaws.com/bk1/k");
    assert_eq!(
        path.bucket_url().unwrap(),
        "https://s3.us-east-1.amazonaws.com/bk1"
    );
    assert_eq!(
        bucket("bk1", "us-east-1").bucket_url().unwrap(),
        "https://bk1.s3.us-east-1.amazonaws.com/"
    );
}

#[test]
fn dualstack_fips_and_acceleration() {
    let with = |e: Endpoint| bucket("bk1", "us-west-2").with_endpoint(e);
    assert_eq!(
        url(&with(Endpoint::aws().with_dualstack(true)), "k"),
        "https://bk1.s3.dualstack.us-west-2.amazonaws.com/k"
    );
    assert_eq!(
        url(&with(Endpoint::aws().with_fips(true)), "k"),
        "https://bk1.s3-fips.us-west-2.amazonaws.com/k"
    );
    assert_eq!(
        url(
            &with(Endpoint::aws().with_fips(true).with_dualstack(true)),
            "k"
        ),
        "https://bk1.s3-fips.dualstack.us-west-2.amazonaws.com/k"
    );
    let gov = bucket("bk1", "us-gov-east-1").with_endpoint(Endpoint::aws().with_fips(true));
    assert_eq!(
        url(&gov, "k"),
        "https://bk1.s3-fips.us-gov-east-1.amazonaws.com/k"
    );
    assert_eq!(
        url(&with(Endpoint::aws().with_accelerate(true)), "k"),
        "https://bk1.s3-accelerate.amazonaws.com/k"
    );
    assert_eq!(
        url(
            &with(Endpoint::aws().with_accelerate(true).with_dualstack(true)),
            "k"
        ),
        "https://bk1.s3-accelerate.dualstack.amazonaws.com/k"
    );
    // What acceleration cannot do.
    let err = |b: Bucket| b.object_url("k").unwrap_err();
    assert!(matches!(
        err(with(Endpoint::aws().with_accelerate(true).with_fips(true))),
        Error::InvalidEndpoint { .. }
    ));
    assert!(matches!(
        err(with(Endpoint::aws().with_accelerate(true)).with_addressing(Addressing::Path)),
        Error::InvalidEndpoint { .. }
    ));
    assert!(matches!(
        err(bucket("dotted.name", "us-west-2").with_endpoint(Endpoint::aws().with_accelerate(true))),
        Error::InvalidEndpoint { .. }
    ));
    // FIPS exists in US, Canada and GovCloud only; acceleration not in China or GovCloud.
    let eu_fips = bucket("bk1", "eu-west-1").with_endpoint(Endpoint::aws().with_fips(true));
    assert!(matches!(err(eu_fips), Error::InvalidEndpoint { .. }));
    let ca_fips = bucket("bk1", "ca-central-1").with_endpoint(Endpoint::aws().with_fips(true));
    assert_eq!(
        url(&ca_fips, "k"),
        "https://bk1.s3-fips.ca-central-1.amazonaws.com/k"
    );
    for region in ["cn-north-1", "us-gov-west-1"] {
        let b = bucket("bk1", region).with_endpoint(Endpoint::aws().with_accelerate(true));
        assert!(matches!(err(b), Error::InvalidEndpoint { .. }), "{region}");
    }
    let cn_dualstack =
        bucket("bk1", "cn-north-1").with_endpoint(Endpoint::aws().with_dualstack(true));
    assert_eq!(
        url(&cn_dualstack, "k"),
        "https://bk1.s3.dualstack.cn-north-1.amazonaws.com.cn/k"
    );
    let gov_dualstack =
        bucket("bk1", "us-gov-west-1").with_endpoint(Endpoint::aws().with_dualstack(true));
    assert_eq!(
        url(&gov_dualstack, "k"),
        "https://bk1.s3.dualstack.us-gov-west-1.amazonaws.com/k"
    );
    // AWS options on another endpoint.
    let minio = Endpoint::custom("http://localhost:9000")
        .unwrap()
        .with_dualstack(true);
    assert!(matches!(
        err(bucket("bk1", "us-east-1").with_endpoint(minio)),
        Error::InvalidEndpoint { .. }
    ));
}

#[test]
fn automatic_path_style() {
    // A dotted name over https would break the wildcard certificate.
    let dotted = bucket("www.example.com", "us-east-1");
    assert_eq!(dotted.addressing(), Addressing::Path);
    assert_eq!(
        url(&dotted, "k"),
        "https://s3.us-east-1.amazonaws.com/www.example.com/k"
    );
    // Over http it can be virtual-hosted, on request.
    let http = dotted
        .clone()
        .with_endpoint(Endpoint::custom("http://s3.local:8080").unwrap())
        .with_addressing(Addressing::VirtualHosted);
    assert_eq!(url(&http, "k"), "http://www.example.com.s3.local:8080/k");
    // An IP address cannot carry a bucket.
    for (endpoint, expected) in [
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000/bk1/k"),
        ("http://[::1]:9000", "http://[::1]:9000/bk1/k"),
        ("https://10.0.0.7", "https://10.0.0.7/bk1/k"),
    ] {
        let b = bucket("bk1", "us-east-1").with_endpoint(Endpoint::custom(endpoint).unwrap());
        assert_eq!(b.addressing(), Addressing::Path);
        assert_eq!(url(&b, "k"), expected);
        let forced = b.with_addressing(Addressing::VirtualHosted);
        assert!(matches!(
            forced.object_url("k"),
            Err(Error::InvalidEndpoint { .. })
        ));
    }
    // A custom endpoint: path-style (self-hosted stores need a domain configured for
    // virtual-hosted requests), virtual-hosted on request.
    let local = bucket("bk1", "us-east-1")
        .with_endpoint(Endpoint::custom("http://localhost:9000").unwrap());
    assert_eq!(local.configured_addressing(), Addressing::Auto);
    assert_eq!(url(&local, "k"), "http://localhost:9000/bk1/k");
    assert_eq!(
        url(&local.with_addressing(Addressing::VirtualHosted), "k"),
        "http://bk1.localhost:9000/k"
    );
}

#[test]
fn custom_and_provider_endpoints() {
    let on = |endpoint: Endpoint, region: &str| bucket("media", region).with_endpoint(endpoint);
    let cases = [
        (
            on(
                Endpoint::custom("http://minio.internal:9000").unwrap(),
                "us-east-1",
            ),
            "http://minio.internal:9000/media/k",
        ),
        (
            on(
                Endpoint::custom("https://rgw.ceph.example:7480").unwrap(),
                "default",
            ),
            "https://rgw.ceph.example:7480/media/k",
        ),
        (
            on(
                Endpoint::custom("http://127.0.0.1:8333").unwrap(),
                "us-east-1",
            ),
            "http://127.0.0.1:8333/media/k",
        ),
        (
            on(Endpoint::custom("http://garage:3900").unwrap(), "garage"),
            "http://garage:3900/media/k",
        ),
        (
            on(
                Endpoint::cloudflare_r2("0123456789abcdef0123456789abcdef").unwrap(),
                "auto",
            ),
            "https://media.0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/k",
        ),
        (
            on(
                Endpoint::backblaze_b2("us-west-004").unwrap(),
                "us-west-004",
            ),
            "https://media.s3.us-west-004.backblazeb2.com/k",
        ),
        (
            on(Endpoint::google_cloud_storage(), "auto"),
            "https://media.storage.googleapis.com/k",
        ),
        (
            on(Endpoint::digitalocean_spaces("nyc3").unwrap(), "nyc3"),
            "https://media.nyc3.digitaloceanspaces.com/k",
        ),
        (
            on(Endpoint::wasabi("eu-central-1").unwrap(), "eu-central-1"),
            "https://media.s3.eu-central-1.wasabisys.com/k",
        ),
    ];
    for (b, expected) in cases {
        assert_eq!(url(&b, "k"), expected);
        assert!(!b.endpoint().is_aws());
    }
    // Refused endpoints.
    for bad in [
        "ftp://h",
        "http://h/path",
        "http://h?x",
        "https://user@h",
        "h:9000",
    ] {
        assert!(Endpoint::custom(bad).is_err(), "{bad}");
    }
}

#[test]
fn explicit_default_ports_are_dropped_from_url_and_signature() {
    let presigner = Presigner::new(
        Credentials::new("AKID", "secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let t = datetime!(2024-05-01 0:00 UTC);
    let with_443 = bucket("bk1", "us-east-1")
        .with_endpoint(Endpoint::custom("https://s3.example.com:443").unwrap());
    let without = bucket("bk1", "us-east-1")
        .with_endpoint(Endpoint::custom("https://s3.example.com").unwrap());
    let a = with_443.get_object("k").presign(&presigner, t).unwrap();
    let b = without.get_object("k").presign(&presigner, t).unwrap();
    assert_eq!(a.url(), b.url());
    assert!(a.url().starts_with("https://s3.example.com/bk1/k?"));
    assert!(a.canonical_request().contains("\nhost:s3.example.com\n"));
    let with_80 =
        bucket("bk1", "us-east-1").with_endpoint(Endpoint::custom("http://127.0.0.1:80").unwrap());
    assert_eq!(url(&with_80, "k"), "http://127.0.0.1/bk1/k");
    let other_port = bucket("bk1", "us-east-1")
        .with_endpoint(Endpoint::custom("https://s3.example.com:80").unwrap());
    assert_eq!(url(&other_port, "k"), "https://s3.example.com:80/bk1/k");
}

#[test]
fn keys_are_taken_raw_and_never_normalised() {
    let b = bucket("bk1", "us-east-1");
    let cases = [
        ("a b+c", "/a%20b%2Bc"),
        ("100%.txt", "/100%25.txt"),
        ("what?#*~", "/what%3F%23%2A~"),
        ("a//b", "/a//b"),
        ("a/../b/./c", "/a/../b/./c"),
        ("/leading", "//leading"),
        ("日本", "/%E6%97%A5%E6%9C%AC"),
    ];
    for (key, path) in cases {
        assert_eq!(
            url(&b, key),
            format!("https://bk1.s3.us-east-1.amazonaws.com{path}"),
            "{key}"
        );
    }
    // Once signed, dot segments are written %2E, which clients that resolve literal dot
    // segments (RFC 3986 reference resolution) keep; WHATWG parsers (browsers, the `url`
    // crate) resolve even these, so such keys need a client that sends the path as is.
    let presigner = Presigner::new(
        Credentials::new("AKID", "secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let signed = b
        .get_object("a/../b/./c")
        .presign(&presigner, datetime!(2024-05-01 0:00 UTC))
        .unwrap();
    assert!(
        signed
            .url()
            .starts_with("https://bk1.s3.us-east-1.amazonaws.com/a/%2E%2E/b/%2E/c?")
    );
    assert!(
        signed.canonical_request().starts_with("GET\n/a/../b/./c\n"),
        "S3 signs the key itself"
    );
    // Limits.
    assert!(matches!(
        b.object_url(""),
        Err(Error::InvalidObjectKey { .. })
    ));
    assert!(b.object_url(&"k".repeat(1024)).is_ok());
    assert!(matches!(
        b.object_url(&"k".repeat(1025)),
        Err(Error::InvalidObjectKey { .. })
    ));
}

#[test]
fn bucket_names_are_checked() {
    for bad in [
        "ab",
        "Uppercase",
        "under_score",
        "-dash",
        "a..b",
        "10.1.2.3",
        "xn--punycode",
        "b--x-s3",
    ] {
        let err = Bucket::new(bad, "us-east-1").unwrap_err();
        assert!(matches!(err, Error::InvalidBucketName { .. }), "{bad}");
        assert!(err.to_string().contains(bad));
    }
    assert!(matches!(
        Bucket::new("ok-name", "us/east"),
        Err(Error::InvalidScope { .. })
    ));
}

fn sign(request: &sigv4_presign::s3::S3Request<'_, impl Sized>) -> PresignedUrl {
    let presigner = Presigner::new(
        Credentials::new("AKID", "secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    request
        .presign(&presigner, datetime!(2024-05-01 0:00 UTC))
        .unwrap()
}

fn params(signed: &PresignedUrl) -> Vec<String> {
    signed
        .url()
        .split_once('?')
        .unwrap()
        .1
        .split('&')
        .filter(|p| !p.starts_with("X-Amz-"))
        .map(str::to_owned)
        .collect()
}

fn headers(signed: &PresignedUrl) -> Vec<String> {
    signed.headers().map(|(n, v)| format!("{n}: {v}")).collect()
}

#[test]
fn get_head_delete_options() {
    let b = bucket("bk1", "us-east-1");
    let signed = sign(
        &b.get_object("k")
            .version_id("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")
            .response_content_type("text/plain; charset=utf-8")
            .response_content_disposition("attachment; filename=\"a b.txt\"")
            .response_cache_control("no-cache")
            .response_expires("Thu, 01 Dec 1994 16:00:00 GMT")
            .response_content_language("fr")
            .response_content_encoding("gzip")
            .range("bytes=0-99")
            .request_payer()
            .expires_in(Duration::from_secs(60)),
    );
    assert_eq!(signed.method(), "GET");
    assert_eq!(
        params(&signed),
        [
            "response-cache-control=no-cache",
            "response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22",
            "response-content-encoding=gzip",
            "response-content-language=fr",
            "response-content-type=text%2Fplain%3B%20charset%3Dutf-8",
            "response-expires=Thu%2C%2001%20Dec%201994%2016%3A00%3A00%20GMT",
            "versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY",
        ]
    );
    assert_eq!(
        headers(&signed),
        ["range: bytes=0-99", "x-amz-request-payer: requester"]
    );
    assert!(signed.url().contains("X-Amz-Expires=60&"));
    assert_eq!(sign(&b.head_object("k").version_id("v1")).method(), "HEAD");
    let delete = sign(&b.delete_object("k").version_id("v1"));
    assert_eq!(
        (delete.method(), params(&delete)),
        ("DELETE", vec!["versionId=v1".to_owned()])
    );
}

#[test]
fn put_options_are_signed_headers() {
    let b = bucket("bk1", "us-east-1");
    let signed = sign(
        &b.put_object("k")
            .content_type("image/png")
            .content_md5("1B2M2Y8AsgTpgAmY7PhCfg==")
            .content_length(1234)
            .checksum(ChecksumAlgorithm::Crc32c, "yZRlqg==")
            .checksum(
                ChecksumAlgorithm::Sha256,
                "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            )
            .acl("public-read")
            .storage_class("STANDARD_IA")
            .tagging([("project", "blue sky"), ("a&b", "c=d")])
            .server_side_encryption("aws:kms")
            .sse_kms_key_id("arn:aws:kms:us-east-1:111122223333:key/abc")
            .metadata("uploaded-by", "user 42")
            .cache_control("max-age=60"),
    );
    assert_eq!(signed.method(), "PUT");
    assert_eq!(
        headers(&signed),
        [
            "cache-control: max-age=60",
            "content-length: 1234",
            "content-md5: 1B2M2Y8AsgTpgAmY7PhCfg==",
            "content-type: image/png",
            "x-amz-acl: public-read",
            "x-amz-checksum-crc32c: yZRlqg==",
            "x-amz-checksum-sha256: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            "x-amz-meta-uploaded-by: user 42",
            "x-amz-server-side-encryption: aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id: arn:aws:kms:us-east-1:111122223333:key/abc",
            "x-amz-storage-class: STANDARD_IA",
            "x-amz-tagging: project=blue%20sky&a%26b=c%3Dd",
        ]
    );
    for (algorithm, header) in [
        (ChecksumAlgorithm::Crc32, "x-amz-checksum-crc32"),
        (ChecksumAlgorithm::Crc64Nvme, "x-amz-checksum-crc64nvme"),
        (ChecksumAlgorithm::Sha1, "x-amz-checksum-sha1"),
    ] {
        let signed = sign(&b.put_object("k").checksum(algorithm, "AAAA"));
        assert_eq!(headers(&signed), [format!("{header}: AAAA")]);
    }
    assert!(params(&sign(&b.put_object("k"))).is_empty());
}

#[test]
fn multipart_operations() {
    let b = bucket("bk1", "us-east-1");
    let create = sign(
        &b.create_multipart_upload("k")
            .content_type("video/mp4")
            .checksum_algorithm(ChecksumAlgorithm::Crc32),
    );
    assert_eq!(
        (create.method(), params(&create)),
        ("POST", vec!["uploads=".to_owned()])
    );
    assert_eq!(
        headers(&create),
        ["content-type: video/mp4", "x-amz-checksum-algorithm: CRC32"]
    );
    let part = sign(&b.upload_part("k", "up/load+id", 10_000).content_length(5));
    assert_eq!(
        (part.method(), params(&part)),
        (
            "PUT",
            vec![
                "partNumber=10000".to_owned(),
                "uploadId=up%2Fload%2Bid".to_owned()
            ]
        )
    );
    let complete = sign(&b.complete_multipart_upload("k", "id"));
    assert_eq!(
        (complete.method(), params(&complete)),
        ("POST", vec!["uploadId=id".to_owned()])
    );
    let abort = sign(&b.abort_multipart_upload("k", "id"));
    assert_eq!(
        (abort.method(), params(&abort)),
        ("DELETE", vec!["uploadId=id".to_owned()])
    );
    let list = sign(&b.list_parts("k", "id").max_parts(10).part_number_marker(3));
    assert_eq!(
        (list.method(), params(&list)),
        (
            "GET",
            vec![
                "max-parts=10".to_owned(),
                "part-number-marker=3".to_owned(),
                "uploadId=id".to_owned()
            ]
        )
    );
    let presigner = Presigner::new(
        Credentials::new("AKID", "secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    for bad in [0, 10_001] {
        let err = b
            .upload_part("k", "id", bad)
            .presign(&presigner, datetime!(2024-05-01 0:00 UTC))
            .unwrap_err();
        assert_eq!(err, Error::PartNumberOutOfRange { part_number: bad });
    }
}

#[test]
fn list_objects_and_copy() {
    let b = bucket("bk1", "us-east-1");
    let list = sign(
        &b.list_objects_v2()
            .prefix("photos/2024 summer/")
            .delimiter("/")
            .continuation_token("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
            .start_after("photos/a")
            .max_keys(100)
            .encoding_type_url()
            .fetch_owner(),
    );
    assert!(
        list.url()
            .starts_with("https://bk1.s3.us-east-1.amazonaws.com/?")
    );
    assert_eq!(
        params(&list),
        [
            "continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D",
            "delimiter=%2F",
            "encoding-type=url",
            "fetch-owner=true",
            "list-type=2",
            "max-keys=100",
            "prefix=photos%2F2024%20summer%2F",
            "start-after=photos%2Fa",
        ]
    );
    let copy = sign(
        &b.copy_object("dst/new name", "src-bucket", "old dir/ü.txt")
            .source_version_id("v+1")
            .metadata_directive("REPLACE")
            .content_type("text/plain"),
    );
    assert_eq!(copy.method(), "PUT");
    assert_eq!(
        headers(&copy),
        [
            "content-type: text/plain",
            "x-amz-copy-source: src-bucket/old%20dir/%C3%BC.txt?versionId=v%2B1",
            "x-amz-metadata-directive: REPLACE",
        ]
    );
    let presigner = Presigner::new(
        Credentials::new("AKID", "secret").unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let bad = b
        .copy_object("k", "Bad_Bucket", "k")
        .presign(&presigner, datetime!(2024-05-01 0:00 UTC));
    assert!(matches!(bad, Err(Error::InvalidBucketName { .. })));
}

#[test]
fn unchecked_bucket_names_for_legacy_and_other_stores() {
    let legacy = Bucket::new_unchecked("My_Legacy_Bucket", "us-east-1").unwrap();
    assert_eq!(legacy.addressing(), Addressing::Path);
    assert_eq!(
        url(&legacy, "k"),
        "https://s3.us-east-1.amazonaws.com/My_Legacy_Bucket/k"
    );
    let gcs = Bucket::new_unchecked("my_bucket.with.many.dots.example.com", "auto")
        .unwrap()
        .with_endpoint(Endpoint::google_cloud_storage());
    assert_eq!(
        url(&gcs, "k"),
        "https://storage.googleapis.com/my_bucket.with.many.dots.example.com/k"
    );
    for bad in ["", "a/b", "a b", &"x".repeat(256)] {
        assert!(matches!(
            Bucket::new_unchecked(bad, "us-east-1"),
            Err(Error::InvalidBucketName { .. })
        ));
    }
}

#[test]
fn typed_options_replace_earlier_values() {
    let b = bucket("bk1", "us-east-1");
    let signed = sign(
        &b.put_object("k")
            .content_type("image/png")
            .content_type("image/jpeg")
            .metadata("Owner", "a")
            .metadata("owner", "b")
            .tagging([("a", "1")])
            .tagging([("b", "2")]),
    );
    assert_eq!(
        headers(&signed),
        [
            "content-type: image/jpeg",
            "x-amz-meta-owner: b",
            "x-amz-tagging: b=2"
        ]
    );
    let get = sign(&b.get_object("k").version_id("v1").version_id("v2"));
    assert_eq!(params(&get), ["versionId=v2"]);
    let copy = sign(
        &b.copy_object("k", "src-bucket", "s")
            .source_version_id("1")
            .source_version_id("2"),
    );
    assert_eq!(
        headers(&copy),
        ["x-amz-copy-source: src-bucket/s?versionId=2"]
    );
    // The escape hatch joins repeated headers, as SigV4 does.
    let raw = sign(
        &b.put_object("k")
            .header("x-amz-meta-a", "1")
            .header("x-amz-meta-a", "2"),
    );
    assert_eq!(headers(&raw), ["x-amz-meta-a: 1,2"]);
    let request = b.get_object("k");
    assert_eq!(
        (request.method(), request.key(), request.bucket().name()),
        ("GET", Some("k"), "bk1")
    );
}

#[test]
fn presigner_must_fit_the_bucket() {
    let b = bucket("bk1", "eu-west-1");
    let t = datetime!(2024-05-01 0:00 UTC);
    let creds = || Credentials::new("AKID", "secret").unwrap();
    let other_region = Presigner::new(creds(), "us-east-1", "s3").unwrap();
    assert!(matches!(
        b.get_object("k").presign(&other_region, t),
        Err(Error::PresignerMismatch { .. })
    ));
    let generic = Presigner::new(creds(), "eu-west-1", "s3")
        .unwrap()
        .with_settings(Settings::aws_service());
    assert!(matches!(
        b.get_object("k").presign(&generic, t),
        Err(Error::PresignerMismatch { .. })
    ));
    let sts = Presigner::new(creds(), "eu-west-1", "sts")
        .unwrap()
        .with_settings(Settings::s3());
    assert!(matches!(
        b.get_object("k").presign(&sts, t),
        Err(Error::PresignerMismatch { .. })
    ));
    let signed_body = Presigner::new(creds(), "eu-west-1", "s3")
        .unwrap()
        .with_settings(Settings::s3().with_payload_hash(sigv4_presign::PayloadHash::EmptyBody));
    assert!(matches!(
        b.get_object("k").presign(&signed_body, t),
        Err(Error::PresignerMismatch { .. })
    ));
    let ok = Presigner::new(creds(), "eu-west-1", "s3").unwrap();
    assert!(b.get_object("k").presign(&ok, t).is_ok());
    assert!(matches!(
        b.get_object("").presign(&ok, t),
        Err(Error::InvalidObjectKey { .. })
    ));
}
