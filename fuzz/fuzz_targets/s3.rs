//! Bucket names, endpoint URLs and object keys from anywhere never make the S3 layer panic.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4_presign::s3::{Addressing, Bucket, Endpoint};
use sigv4_presign::{Credentials, Presigner};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    bucket: &'a str,
    region: &'a str,
    endpoint: Option<&'a str>,
    key: &'a str,
    upload_id: &'a str,
    part: u32,
    path_style: bool,
    dualstack: bool,
    fips: bool,
    accelerate: bool,
}

fuzz_target!(|input: Input<'_>| {
    let Ok(mut bucket) = Bucket::new(input.bucket, input.region) else { return };
    let endpoint = match input.endpoint {
        Some(url) => match Endpoint::custom(url) {
            Ok(e) => e,
            Err(_) => return,
        },
        None => Endpoint::aws(),
    };
    bucket = bucket
        .with_endpoint(endpoint.with_dualstack(input.dualstack).with_fips(input.fips).with_accelerate(input.accelerate));
    if input.path_style {
        bucket = bucket.with_addressing(Addressing::Path);
    }
    let _ = bucket.object_url(input.key);
    let _ = bucket.bucket_url();
    let presigner = Presigner::new(Credentials::new("AKID", "secret").unwrap(), input.region, "s3").unwrap();
    let t = time::macros::datetime!(2024-05-01 0:00 UTC);
    let _ = bucket.get_object(input.key).presign(&presigner, t);
    let _ = bucket.upload_part(input.key, input.upload_id, input.part).presign(&presigner, t);
    let _ = bucket.copy_object(input.key, input.bucket, input.key).presign(&presigner, t);
});
