//! Verifying arbitrary CloudFront URLs and cookies never panics, and what verifies was
//! signed.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4_presign::cloudfront::{Policy, PrivateKey, PublicKey, Signer, Verifier};

const EC: &str = include_str!("../../tests/vectors/cloudfront/ec-sec1.pem");
const EC_PUBLIC: &str = include_str!("../../tests/vectors/cloudfront/ec-public.pem");

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    url: &'a str,
    cookies: Vec<(&'a str, &'a str)>,
    now: u32,
    client: Option<[u8; 4]>,
    /// A suffix after a URL the key really signed, to reach the deep checks.
    signed_prefix: bool,
    resource: &'a str,
}

fuzz_target!(|input: Input<'_>| {
    let verifier = Verifier::new()
        .with_key("KFUZZ", PublicKey::from_pem(EC_PUBLIC).unwrap())
        .unwrap();
    let now = time::OffsetDateTime::from_unix_timestamp(i64::from(input.now)).unwrap();
    let client = input.client.map(|b| std::net::IpAddr::from(b));
    let url = if input.signed_prefix {
        let signer = Signer::new("KFUZZ", PrivateKey::from_pem(EC).unwrap()).unwrap();
        let policy = Policy::new(time::OffsetDateTime::from_unix_timestamp(4_000_000_000).unwrap())
            .unwrap()
            .with_resource(input.resource);
        match signer.sign_url("https://d111111abcdef8.cloudfront.net/a.jpg", &policy) {
            Ok(signed) => format!("{signed}{}", input.url),
            Err(_) => return,
        }
    } else {
        input.url.to_owned()
    };
    if let Ok(ok) = verifier.verify_url(&url, now, client) {
        // Whatever verifies names the key and a policy that is in force now.
        assert_eq!(ok.key_pair_id, "KFUZZ");
        assert!(i64::from(input.now) < ok.policy.date_less_than());
    }
    let _ = verifier.verify_cookies(input.url, &input.cookies, now, client);
});
