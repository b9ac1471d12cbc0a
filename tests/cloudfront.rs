//! CloudFront signed URLs and cookies: byte for byte with botocore's `CloudFrontSigner`
//! and `aws cloudfront sign` (RSA, SHA-1 and SHA-256; tests/vectors/cloudfront.txt, made by
//! scripts/cloudfront-vectors.py with the test keys in tests/vectors/cloudfront/), ECDSA
//! checked by verification, and every single-byte change refused.

mod common;

use common::vectors::{Case, parse};
use proptest::prelude::*;
use sigv4_presign::cloudfront::{
    CloudFrontError, CloudFrontVerifyError, CookieAttributes, HashAlgorithm, Policy, PrivateKey,
    PublicKey, SameSite, Signer, Verifier,
};
use time::OffsetDateTime;

const KEY_PAIR_ID: &str = "K2JCJMDEHXQW5F";
const RSA_PKCS1: &str = include_str!("vectors/cloudfront/rsa-pkcs1.pem");
const RSA_PKCS8: &str = include_str!("vectors/cloudfront/rsa-pkcs8.pem");
const RSA_PUBLIC: &str = include_str!("vectors/cloudfront/rsa-public.pem");
const EC_SEC1: &str = include_str!("vectors/cloudfront/ec-sec1.pem");
const EC_PKCS8: &str = include_str!("vectors/cloudfront/ec-pkcs8.pem");
const EC_PUBLIC: &str = include_str!("vectors/cloudfront/ec-public.pem");

fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap()
}

fn policy_of(case: &Case) -> Policy {
    let mut policy = Policy::new(at(case.req("date-less-than").parse().unwrap())).unwrap();
    if let Some(start) = case.get("date-greater-than") {
        policy = policy
            .with_date_greater_than(at(start.parse().unwrap()))
            .unwrap();
    }
    if let Some(ip) = case.get("ip-address") {
        policy = policy.with_ip_range(ip).unwrap();
    }
    if let Some(resource) = case.get("policy-resource") {
        policy = policy.with_resource(resource);
    }
    policy
}

fn hash_of(case: &Case) -> HashAlgorithm {
    case.req("hash").parse().unwrap()
}

fn verifier() -> Verifier {
    Verifier::new()
        .with_key(KEY_PAIR_ID, PublicKey::from_pem(RSA_PUBLIC).unwrap())
        .unwrap()
        .with_key("KECDSAEXAMPLE", PublicKey::from_pem(EC_PUBLIC).unwrap())
        .unwrap()
}

/// The same vectors, ECDSA ones under their own key pair id for the verifier.
fn ec_verifier() -> Verifier {
    Verifier::new()
        .with_key(KEY_PAIR_ID, PublicKey::from_pem(EC_PUBLIC).unwrap())
        .unwrap()
}

#[test]
fn rsa_as_botocore_and_the_aws_cli_sign() {
    let cases = parse(include_str!("vectors/cloudfront.txt"));
    assert_eq!(cases.len(), 16);
    let rsa: Vec<&Case> = cases.iter().filter(|c| c.req("key") == "rsa").collect();
    assert_eq!(rsa.len(), 11);
    for pem in [RSA_PKCS1, RSA_PKCS8] {
        let key = PrivateKey::from_pem(pem).unwrap();
        for hash in [HashAlgorithm::Sha1, HashAlgorithm::Sha256] {
            let signer = Signer::new(KEY_PAIR_ID, PrivateKey::from_pem(pem).unwrap())
                .unwrap()
                .with_hash_algorithm(hash);
            for case in rsa.iter().filter(|c| hash_of(c) == hash) {
                let name = &case.name;
                let policy = policy_of(case);
                let url = case.req("url");
                assert_eq!(policy.to_json(url), case.req("policy-json"), "{name}");
                if name.ends_with("escaping") {
                    // Its resource pins JSON escaping and does not cover its URL: such a
                    // URL is refused (CloudFront would refuse it); the cookies below carry
                    // the same policy and signature, byte for byte.
                    assert!(matches!(
                        signer.sign_url(url, &policy),
                        Err(CloudFrontError::InvalidPolicy(_))
                    ));
                } else {
                    assert_eq!(
                        signer.sign_url(url, &policy).unwrap(),
                        case.req("signed-url"),
                        "{name}"
                    );
                }
                let resource = case.get("policy-resource").unwrap_or(url);
                let cookies = signer.sign_cookies(resource, &policy).unwrap();
                let ours: Vec<(String, String)> = cookies
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect();
                assert_eq!(ours, case.params, "{name}: cookies");
            }
        }
        assert!(!key.is_ecdsa());
    }
}

#[test]
fn ecdsa_signatures_verify_and_match_rfc6979() {
    let cases = parse(include_str!("vectors/cloudfront.txt"));
    let ec: Vec<&Case> = cases.iter().filter(|c| c.req("key") == "ec").collect();
    assert_eq!(ec.len(), 5);
    for pem in [EC_SEC1, EC_PKCS8] {
        for case in &ec {
            let name = &case.name;
            let hash = hash_of(case);
            let signer = Signer::new(KEY_PAIR_ID, PrivateKey::from_pem(pem).unwrap())
                .unwrap()
                .with_hash_algorithm(hash);
            let policy = policy_of(case);
            let url = case.req("url");
            // `cryptography`'s signature (RFC 6979 nonces) verifies here...
            let theirs = case.req("signed-url");
            let now = at(case.req("date-less-than").parse::<i64>().unwrap() - 1);
            let client = Some("192.0.2.9".parse().unwrap());
            ec_verifier()
                .verify_url(theirs, now, client)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            // ...and ours verifies, and for SHA-256 (where both derive the nonce with
            // SHA-256) is the very same URL.
            let ours = signer.sign_url(url, &policy).unwrap();
            ec_verifier()
                .verify_url(&ours, now, client)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            if hash == HashAlgorithm::Sha256 {
                assert_eq!(ours, theirs, "{name}");
            }
            let cookies: Vec<(&str, &str)> = case
                .params
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            if !cookies.is_empty() {
                let resource = case.get("policy-resource").unwrap_or(url);
                ec_verifier()
                    .verify_cookies(resource, &cookies, now, client)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
    }
}

/// A byte that differs from `b` and keeps the text ASCII.
fn mutate(b: u8) -> u8 {
    if b == b'z' {
        b'y'
    } else {
        (b + 1) & 0x7f | 0x20
    }
}

#[test]
fn every_single_byte_change_fails() {
    let signers = [
        Signer::new(KEY_PAIR_ID, PrivateKey::from_pem(RSA_PKCS1).unwrap()).unwrap(),
        Signer::new("KECDSAEXAMPLE", PrivateKey::from_pem(EC_SEC1).unwrap())
            .unwrap()
            .with_hash_algorithm(HashAlgorithm::Sha256),
    ];
    let canned = Policy::new(at(1_767_225_600)).unwrap();
    let custom = canned
        .clone()
        .with_resource("https://d111111abcdef8.cloudfront.net/images/*")
        .with_ip_range("192.0.2.0/24")
        .unwrap();
    let now = at(1_767_225_000);
    let client = Some("192.0.2.9".parse().unwrap());
    for signer in &signers {
        for policy in [&canned, &custom] {
            let url = signer
                .sign_url(
                    "https://d111111abcdef8.cloudfront.net/images/a.jpg?size=large",
                    policy,
                )
                .unwrap();
            assert!(verifier().verify_url(&url, now, client).is_ok(), "{url}");
            for i in 0..url.len() {
                let mut bytes = url.clone().into_bytes();
                bytes[i] = mutate(bytes[i]);
                let changed = String::from_utf8(bytes).unwrap();
                // A change inside the wildcard's span still names a file it grants,
                // and a change of the scheme's or host's case names the same one; all
                // others must fail.
                let in_wildcard = policy == &custom
                    && (i >= "https://d111111abcdef8.cloudfront.net/images/".len()
                        && i < url.find('&').unwrap_or(url.len())
                        && !url[..=i].contains("Policy="));
                if in_wildcard {
                    continue;
                }
                assert!(
                    verifier().verify_url(&changed, now, client).is_err(),
                    "byte {i} of {url}: {changed}"
                );
            }
        }
    }
}

#[test]
fn verification_refusals() {
    let signer = Signer::new(KEY_PAIR_ID, PrivateKey::from_pem(RSA_PKCS1).unwrap()).unwrap();
    let start = at(1_764_547_200);
    let end = at(1_767_225_600);
    let policy = Policy::new(end)
        .unwrap()
        .with_date_greater_than(start)
        .unwrap()
        .with_resource("https://d111111abcdef8.cloudfront.net/images/*")
        .with_ip_range("192.0.2.0/24")
        .unwrap();
    let url = signer
        .sign_url(
            "https://d111111abcdef8.cloudfront.net/images/a.jpg",
            &policy,
        )
        .unwrap();
    let inside = Some("192.0.2.1".parse().unwrap());
    let ok = verifier()
        .verify_url(&url, at(1_765_000_000), inside)
        .unwrap();
    assert!(ok.custom);
    assert_eq!(ok.key_pair_id, KEY_PAIR_ID);
    assert_eq!(ok.policy, policy);
    let check = |url: &str, now: i64, client| verifier().verify_url(url, at(now), client);
    assert_eq!(
        check(&url, 1_767_225_600, inside),
        Err(CloudFrontVerifyError::Expired(1_767_225_600))
    );
    assert_eq!(
        check(&url, 1_764_547_199, inside),
        Err(CloudFrontVerifyError::NotYetValid(1_764_547_200))
    );
    assert_eq!(
        check(&url, 1_765_000_000, Some("192.0.3.1".parse().unwrap())),
        Err(CloudFrontVerifyError::IpNotAllowed)
    );
    assert_eq!(
        check(&url, 1_765_000_000, None),
        Err(CloudFrontVerifyError::IpNotAllowed)
    );
    // The policy moved to another file: outside the wildcard.
    let moved = url.replace("/images/a.jpg", "/private/a.jpg");
    assert_eq!(
        check(&moved, 1_765_000_000, inside),
        Err(CloudFrontVerifyError::ResourceMismatch)
    );
    // Another key pair id, a repeated parameter, SHA-256 claimed for a SHA-1 signature.
    let other = url.replace(KEY_PAIR_ID, "KOTHER");
    assert_eq!(
        check(&other, 1_765_000_000, inside),
        Err(CloudFrontVerifyError::UnknownKeyPair("KOTHER".into()))
    );
    let twice = format!("{url}&Key-Pair-Id={KEY_PAIR_ID}");
    assert!(matches!(
        check(&twice, 1_765_000_000, inside),
        Err(CloudFrontVerifyError::Malformed(_))
    ));
    let sha256 = format!("{url}&Hash-Algorithm=SHA256");
    assert_eq!(
        check(&sha256, 1_765_000_000, inside),
        Err(CloudFrontVerifyError::SignatureMismatch)
    );
    let sha512 = format!("{url}&Hash-Algorithm=SHA512");
    assert!(matches!(
        check(&sha512, 1_765_000_000, inside),
        Err(CloudFrontVerifyError::Malformed(_))
    ));

    // Cookies: the same grant, for any file under /images/.
    let cookies = signer
        .sign_cookies("https://d111111abcdef8.cloudfront.net/images/*", &policy)
        .unwrap();
    let pairs: Vec<(&str, &str)> = cookies.iter().collect();
    let file = "https://d111111abcdef8.cloudfront.net/images/b/c.png";
    assert!(
        verifier()
            .verify_cookies(file, &pairs, at(1_765_000_000), inside)
            .is_ok()
    );
    assert_eq!(
        verifier().verify_cookies(
            "https://d111111abcdef8.cloudfront.net/videos/x",
            &pairs,
            at(1_765_000_000),
            inside
        ),
        Err(CloudFrontVerifyError::ResourceMismatch)
    );
    let headers = cookies.set_cookie_headers(
        &CookieAttributes::new()
            .domain("d111111abcdef8.cloudfront.net")
            .unwrap()
            .path("/images/")
            .unwrap()
            .same_site(SameSite::Strict),
    );
    assert_eq!(headers.len(), 3);
    assert!(headers[1].starts_with("CloudFront-Signature="));
    assert!(headers.iter().all(|h| h.ends_with(
        "; Domain=d111111abcdef8.cloudfront.net; Path=/images/; Secure; HttpOnly; SameSite=Strict"
    )));
    let plain = cookies.set_cookie_headers(&CookieAttributes::new().secure(false).http_only(false));
    assert_eq!(plain[2], format!("CloudFront-Key-Pair-Id={KEY_PAIR_ID}"));
    assert!(CookieAttributes::new().domain("a;b").is_err());
    assert!(CookieAttributes::new().path("images").is_err());
}

#[test]
fn keys_and_inputs_refused_with_reasons() {
    for (pem, reason) in [
        (
            include_str!("vectors/cloudfront/rsa-3072-pkcs1.pem"),
            "exactly 2048 bits",
        ),
        (EC_PUBLIC, "public key"),
        ("not a key", "no PEM block"),
        (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----\n",
            "encrypted",
        ),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----\n",
            "PKCS#1",
        ),
    ] {
        let err = PrivateKey::from_pem(pem).unwrap_err();
        assert!(matches!(err, CloudFrontError::InvalidKey { .. }), "{err}");
        assert!(err.to_string().contains(reason), "{err}");
    }
    assert!(PublicKey::from_pem(RSA_PKCS1).is_err());
    // `openssl ecparam -genkey` without -noout writes the curve's block first.
    let with_parameters = format!(
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n{EC_SEC1}"
    );
    assert_eq!(
        PrivateKey::from_pem(&with_parameters).unwrap().public_key(),
        PublicKey::from_pem(EC_PUBLIC).unwrap()
    );
    let key = PrivateKey::from_pem(EC_SEC1).unwrap();
    assert_eq!(format!("{key:?}"), "PrivateKey(ECDSA P-256)");
    assert_eq!(
        format!("{:?}", PrivateKey::from_pem(RSA_PKCS1).unwrap()),
        "PrivateKey(RSA 2048)"
    );
    assert_eq!(key.public_key(), PublicKey::from_pem(EC_PUBLIC).unwrap());
    for id in ["", "K2 J", "K2&J", "K2JCJMDEHXQW5F\n"] {
        assert!(
            matches!(
                Signer::new(id, PrivateKey::from_pem(EC_SEC1).unwrap()),
                Err(CloudFrontError::InvalidKeyPairId(_))
            ),
            "{id:?}"
        );
    }
    let signer = Signer::new(KEY_PAIR_ID, key).unwrap();
    let until = Policy::new(at(1_767_225_600)).unwrap();
    assert!(matches!(
        signer.sign_url("https://d/a.jpg?Signature=x", &until),
        Err(CloudFrontError::InvalidUrl(_))
    ));
    // A start at or after the end grants nothing: refused.
    let never = until
        .clone()
        .with_date_greater_than(at(1_767_225_600))
        .unwrap();
    assert!(matches!(
        signer.sign_url("https://d/a.jpg", &never),
        Err(CloudFrontError::InvalidPolicy(_))
    ));
    assert!(matches!(
        signer.sign_cookies("https://d/*", &never),
        Err(CloudFrontError::InvalidPolicy(_))
    ));
}

#[test]
fn malformed_requests_and_edges() {
    let signer = Signer::new(KEY_PAIR_ID, PrivateKey::from_pem(RSA_PKCS1).unwrap()).unwrap();
    let policy = Policy::new(at(1_767_225_600)).unwrap();
    let now = at(1_767_000_000);
    let url = signer.sign_url("https://d/a.jpg", &policy).unwrap();
    let check = |url: &str| verifier().verify_url(url, now, None);
    assert!(check(&url).is_ok());
    let signature = url
        .split("&Signature=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let policy_param = format!("Policy={}", "eyJ9"); // `{"}`: not a policy
    for (bad, why) in [
        (
            url.replace("Expires=1767225600&", ""),
            "neither Expires nor Policy",
        ),
        (
            url.replace("Expires=1767225600&", "Expires=1767225600&Policy=e30_&"),
            "both",
        ),
        (
            url.replace("Expires=1767225600", "Expires=01767225600"),
            "a leading zero",
        ),
        (
            url.replace("Expires=1767225600", "Expires=1767225600000"),
            "too long",
        ),
        (
            url.replace("Expires=1767225600", "Expires=-1"),
            "not digits",
        ),
        (
            url.replace(&format!("&Signature={signature}"), ""),
            "no Signature",
        ),
        (
            url.replace(&format!("&Key-Pair-Id={KEY_PAIR_ID}"), ""),
            "no Key-Pair-Id",
        ),
        (url.replace(signature, "a+b/"), "not CloudFront's base64"),
        (
            url.replace("Expires=1767225600", &policy_param),
            "a policy that is not one",
        ),
        (
            url.replace("Expires=1767225600", "Policy=_w__"),
            "a policy that is not UTF-8",
        ),
    ] {
        assert!(
            matches!(check(&bad), Err(CloudFrontVerifyError::Malformed(_))),
            "{why}: {bad}"
        );
    }
    // Cookies are not looked at for a URL that carries signed-URL parameters.
    let cookies = signer
        .sign_cookies("https://d/*", &Policy::new(at(1_767_225_600)).unwrap())
        .unwrap();
    let pairs: Vec<(&str, &str)> = cookies.iter().collect();
    assert!(
        verifier()
            .verify_cookies("https://d/a.jpg", &pairs, now, None)
            .is_ok()
    );
    assert!(matches!(
        verifier().verify_cookies(
            "https://d/a.jpg?Expires=1&Signature=x&Key-Pair-Id=K",
            &pairs,
            now,
            None
        ),
        Err(CloudFrontVerifyError::Malformed(_))
    ));
    // A dual-stack socket's form of an IPv4 client is that client.
    let ranged = signer
        .sign_url(
            "https://d/a.jpg",
            &Policy::new(at(1_767_225_600))
                .unwrap()
                .with_ip_range("192.0.2.0/24")
                .unwrap(),
        )
        .unwrap();
    assert!(
        verifier()
            .verify_url(&ranged, now, Some("::ffff:192.0.2.1".parse().unwrap()))
            .is_ok()
    );
    // Valid from DateGreaterThan on ("on or after", in CloudFront's words).
    let later = signer
        .sign_url(
            "https://d/a.jpg",
            &Policy::new(at(1_767_225_600))
                .unwrap()
                .with_date_greater_than(now)
                .unwrap(),
        )
        .unwrap();
    assert!(verifier().verify_url(&later, now, None).is_ok());
    assert_eq!(
        verifier().verify_url(&later, at(1_766_999_999), None),
        Err(CloudFrontVerifyError::NotYetValid(1_767_000_000))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the shape of the URL's own query (none, empty, empty parts, a trailing
    /// `&`), what is signed verifies, and only for that URL.
    #[test]
    fn every_url_shape_round_trips(
        path in "/[a-z0-9%._~-]{0,12}",
        query in prop::option::of(prop::collection::vec("[a-z]{0,3}(=[a-z0-9]{0,3})?", 0..4)),
        custom in any::<bool>(),
        ecdsa in any::<bool>(),
    ) {
        let url = match &query {
            None => format!("https://d111111abcdef8.cloudfront.net{path}"),
            Some(parts) => format!("https://d111111abcdef8.cloudfront.net{path}?{}", parts.join("&")),
        };
        let (id, pem) = if ecdsa { ("KECDSAEXAMPLE", EC_SEC1) } else { (KEY_PAIR_ID, RSA_PKCS1) };
        let signer = Signer::new(id, PrivateKey::from_pem(pem).unwrap()).unwrap();
        let mut policy = Policy::new(at(1_767_225_600)).unwrap();
        if custom {
            policy = policy.with_date_greater_than(at(1_700_000_000)).unwrap();
        }
        let signed = signer.sign_url(&url, &policy).unwrap();
        let now = at(1_767_000_000);
        prop_assert!(verifier().verify_url(&signed, now, None).is_ok(), "{}", signed);
        let other = signed.replacen("cloudfront.net/", "cloudfront.net/x", 1);
        prop_assert!(verifier().verify_url(&other, now, None).is_err(), "{}", other);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever the resource, the policy is JSON with exactly that resource and exactly
    /// the conditions given: no input adds a condition.
    #[test]
    fn no_resource_adds_a_condition(resource in "\\PC*|[\"\\\\}{:,\\]\\[*]{0,16}", ip in any::<bool>(), start in any::<bool>()) {
        let mut policy = Policy::new(at(1_767_225_600)).unwrap().with_resource(resource.clone());
        if ip {
            policy = policy.with_ip_range("192.0.2.0/24").unwrap();
        }
        if start {
            policy = policy.with_date_greater_than(at(1_764_547_200)).unwrap();
        }
        let json: serde_json::Value = serde_json::from_str(&policy.to_json("unused")).unwrap();
        let statements = json["Statement"].as_array().unwrap();
        prop_assert_eq!(statements.len(), 1);
        prop_assert_eq!(json.as_object().unwrap().len(), 1);
        let statement = statements[0].as_object().unwrap();
        prop_assert_eq!(statement.len(), 2);
        prop_assert_eq!(statement["Resource"].as_str().unwrap(), resource.as_str());
        let condition = statement["Condition"].as_object().unwrap();
        let mut names: Vec<&str> = condition.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut expected = vec!["DateLessThan"];
        if ip { expected.push("IpAddress"); }
        if start { expected.push("DateGreaterThan"); }
        expected.sort_unstable();
        prop_assert_eq!(names, expected);
        prop_assert_eq!(condition["DateLessThan"]["AWS:EpochTime"].as_i64(), Some(1_767_225_600));
    }
}

/// The crate's own ECDSA URLs and cookies for the EC cases: deterministic (RFC 6979), so
/// committed in tests/vectors/cloudfront-ours.txt, which `scripts/cloudfront-vectors.py
/// KEYDIR --verify-ours FILE` checks with `cryptography`'s verifier.
#[test]
fn our_ecdsa_signatures_are_the_ones_cryptography_checked() {
    let cases = parse(include_str!("vectors/cloudfront.txt"));
    let mut out = String::from(
        "# The crate's ECDSA P-256 URLs and cookies for the `key ec` cases of cloudfront.txt\n\
         # (tests/cloudfront.rs writes them; scripts/cloudfront-vectors.py --verify-ours checks\n\
         # every signature with `cryptography`).\n\n",
    );
    for case in cases.iter().filter(|c| c.req("key") == "ec") {
        let signer = Signer::new(KEY_PAIR_ID, PrivateKey::from_pem(EC_SEC1).unwrap())
            .unwrap()
            .with_hash_algorithm(hash_of(case));
        let policy = policy_of(case);
        let url = case.req("url");
        let resource = case.get("policy-resource").unwrap_or(url);
        out.push_str(&format!(
            "=== {}\nkey ec\nhash {}\nurl {url}\n",
            case.name,
            case.req("hash")
        ));
        if let Some(resource) = case.get("policy-resource") {
            out.push_str(&format!("policy-resource {resource}\n"));
        }
        out.push_str(&format!(
            "signed-url {}\n",
            signer.sign_url(url, &policy).unwrap()
        ));
        for (name, value) in signer.sign_cookies(resource, &policy).unwrap().iter() {
            out.push_str(&format!("cookie {name}={value}\n"));
        }
        out.push('\n');
    }
    let committed = include_str!("vectors/cloudfront-ours.txt");
    assert!(
        committed == out,
        "tests/vectors/cloudfront-ours.txt should read:\n{out}<<<END"
    );
}
