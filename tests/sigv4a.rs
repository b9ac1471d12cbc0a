//! SigV4a presigning against AWS's published v4a suite (aws-c-auth) and against URLs made
//! by AWS's CRT signer (awscrt): canonical requests and strings to sign byte for byte;
//! signatures, which are randomised ECDSA on AWS's side, by verification.

use std::time::Duration;

use sigv4_presign::sigv4a::{Presigner, PublicKey, RegionSet, SigningKey};
use sigv4_presign::{
    Credentials, PayloadHash, PresignRequest, PresignedUrl, SessionTokenMode, Settings,
};
mod common;

use common::vectors::{Case, parse, parse_time, unescape};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// The query's parameters, decoded and sorted, without the signature: AWS's request lines
/// carry some raw (`ሴ=bar`), where a URL must encode them.
fn params_but_signature(target: &str) -> Vec<String> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.starts_with("X-Amz-Signature="))
        .map(|p| {
            percent_encoding::percent_decode_str(p)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
        .collect();
    pairs.sort_unstable();
    pairs
}

fn signature_of(target: &str) -> &str {
    target
        .split("X-Amz-Signature=")
        .nth(1)
        .expect("a signature")
        .split('&')
        .next()
        .unwrap()
}

fn public_key(case: &Case) -> PublicKey {
    let (x, y) = case.req("public-key").split_once(' ').unwrap();
    let x: [u8; 32] = hex::decode(x).unwrap().try_into().unwrap();
    let y: [u8; 32] = hex::decode(y).unwrap().try_into().unwrap();
    PublicKey::from_coordinates(&x, &y).unwrap()
}

/// What every case checks: the canonical request and the string to sign, byte for byte;
/// AWS's signatures and ours verify with the expected key; the URL's parameters but the
/// signature are AWS's, and so is its path.
fn check(case: &Case, signed: &PresignedUrl, key: &PublicKey, host_len: usize) {
    let name = &case.name;
    assert_eq!(signed.canonical_request(), case.req("creq"), "{name}: creq");
    let sts = signed.string_to_sign();
    assert_eq!(sts, case.req("sts"), "{name}: string to sign");
    assert_eq!(signed.algorithm(), "AWS4-ECDSA-P256-SHA256");
    let target = case.req("signed-target");
    if let Some(published) = case.get("signature") {
        assert!(
            key.verify(sts.as_bytes(), published),
            "{name}: AWS's signature"
        );
    }
    assert!(
        key.verify(sts.as_bytes(), signature_of(target)),
        "{name}: AWS's URL"
    );
    assert!(
        key.verify(sts.as_bytes(), signed.signature()),
        "{name}: ours"
    );
    assert!(
        !key.verify(sts.replace("20", "21").as_bytes(), signed.signature()),
        "{name}: ours, for another string"
    );
    let ours = &signed.url()["https://".len() + host_len..];
    assert_eq!(
        params_but_signature(ours),
        params_but_signature(target),
        "{name}: parameters"
    );
    assert_eq!(
        ours.split('?').next(),
        target.split('?').next(),
        "{name}: path"
    );
    assert!(
        signed
            .url()
            .ends_with(&format!("&X-Amz-Signature={}", signed.signature())),
        "{name}: the signature comes last"
    );
}

#[test]
fn aws_c_auth_v4a_presigned_variants() {
    let cases = parse(include_str!("vectors/aws-c-auth-v4a.txt"));
    assert_eq!(cases.len(), 38, "all 38 complete v4a cases are carried");
    let time = parse_time("20150830T123600Z");
    let base = Credentials::new("AKIDEXAMPLE", SECRET).unwrap();
    let key = SigningKey::derive(&base).unwrap();
    for case in &cases {
        let expected_key = public_key(case);
        assert_eq!(
            key.public_key(),
            &expected_key,
            "{}: derived key",
            case.name
        );
        let mut creds = base.clone();
        if let Some(token) = case.get("token") {
            creds = creds.with_session_token(token).unwrap();
        }
        let token_mode = if case.flags.iter().any(|f| f == "omit-token") {
            SessionTokenMode::AppendAfterSigning
        } else {
            SessionTokenMode::Signed
        };
        let settings = Settings::aws_service()
            .with_normalize_path(case.req("normalize") == "true")
            .with_session_token(token_mode);
        let presigner = Presigner::with_key(
            creds,
            key.clone(),
            RegionSet::new("us-east-1").unwrap(),
            "service",
        )
        .unwrap()
        .with_settings(settings);
        let (method, url) = case.req("request").split_once(' ').unwrap();
        let mut request = PresignRequest::new(method, url)
            .expires_in(Duration::from_secs(3600))
            .verbatim_path();
        for (name, value) in &case.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = case.get("body") {
            request = request.payload_hash(PayloadHash::of_body(unescape(body).as_bytes()));
        }
        let signed = presigner
            .presign(&request, time)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        check(case, &signed, &expected_key, "example.amazonaws.com".len());
        assert_eq!(signed.region(), "us-east-1");
        assert_eq!(signed.credential_scope(), "20150830/service/aws4_request");
    }
}

#[test]
fn urls_made_by_awscrt() {
    let cases = parse(include_str!("vectors/awscrt-v4a.txt"));
    assert_eq!(cases.len(), 4);
    let key = SigningKey::derive(&Credentials::new("AKIDEXAMPLE", SECRET).unwrap()).unwrap();
    for case in &cases {
        let mut parts = case.req("credentials").split(' ');
        let (id, secret) = (parts.next().unwrap(), parts.next().unwrap());
        let mut creds = Credentials::new(id, secret).unwrap();
        if let Some(token) = parts.next() {
            creds = creds.with_session_token(token).unwrap();
        }
        let settings = match case.req("settings") {
            "s3" => Settings::s3(),
            _ => Settings::aws_service(),
        };
        let presigner = Presigner::with_key(
            creds,
            key.clone(),
            case.req("region-set").parse().unwrap(),
            case.req("service"),
        )
        .unwrap()
        .with_settings(settings);
        let (method, url) = case.req("request").split_once(' ').unwrap();
        let expires: u64 = case.req("expires").parse().unwrap();
        let mut request = PresignRequest::new(method, url)
            .expires_in(Duration::from_secs(expires))
            .verbatim_path();
        for (name, value) in case.headers.iter().filter(|(n, _)| n != "host") {
            request = request.header(name.as_str(), value.as_str());
        }
        let signed = presigner
            .presign(&request, parse_time(case.req("time")))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let host = url["https://".len()..].split('/').next().unwrap();
        check(case, &signed, key.public_key(), host.len());
        assert_eq!(signed.region(), case.req("region-set"));
    }
}

#[test]
fn session_token_placements() {
    let creds = Credentials::new("AKIDEXAMPLE", SECRET)
        .unwrap()
        .with_session_token("to/ken")
        .unwrap();
    let time = parse_time("20240501T120000Z");
    let request = PresignRequest::get("https://example.amazonaws.com/k?b=2&a=1");
    let sign = |mode| {
        Presigner::new(creds.clone(), RegionSet::any(), "s3")
            .unwrap()
            .with_settings(Settings::s3().with_session_token(mode))
            .presign(&request, time)
            .unwrap()
    };
    let in_place = sign(SessionTokenMode::Signed);
    let last = sign(SessionTokenMode::SignedListedLast);
    let appended = sign(SessionTokenMode::AppendAfterSigning);
    assert!(
        in_place
            .url()
            .contains("&X-Amz-Security-Token=to%2Fken&X-Amz-SignedHeaders=")
    );
    assert_eq!(in_place.canonical_request(), last.canonical_request());
    assert_eq!(
        in_place.signature(),
        last.signature(),
        "RFC 6979: same input, same signature"
    );
    assert!(last.url().ends_with(&format!(
        "X-Amz-SignedHeaders=host&a=1&b=2&X-Amz-Security-Token=to%2Fken&X-Amz-Signature={}",
        last.signature()
    )));
    assert!(!appended.canonical_request().contains("Security-Token"));
    assert!(
        appended
            .url()
            .contains("&X-Amz-Security-Token=to%2Fken&X-Amz-Signature=")
    );
    assert_eq!(appended.service(), "s3");
    assert_eq!(in_place.service(), "s3");
    assert!(!format!("{in_place:?}").contains("to%2Fken"));
}

#[test]
fn refusals() {
    use sigv4_presign::Error;
    let creds = Credentials::new("AKIDEXAMPLE", SECRET).unwrap();
    let presigner = Presigner::new(creds.clone(), RegionSet::any(), "s3").unwrap();
    let time = parse_time("20240501T120000Z");
    let reserved = |name: &str| Err(Error::AuthParameterPresent { name: name.into() });
    for (request, expected) in [
        (
            PresignRequest::get("https://b.example.com/k?X-Amz-Region-Set=us-east-1"),
            reserved("X-Amz-Region-Set"),
        ),
        (
            PresignRequest::get("https://b.example.com/k").query("x-amz-region-set", "*"),
            reserved("x-amz-region-set"),
        ),
        (
            PresignRequest::get("https://b.example.com/k?X-Amz-S3session-Token=t"),
            reserved("X-Amz-S3session-Token"),
        ),
        (
            PresignRequest::get("https://b.example.com/k?X-Amz-Signature=1"),
            reserved("X-Amz-Signature"),
        ),
        (
            PresignRequest::get("https://b.example.com/k").expires_in(Duration::from_secs(604_801)),
            Err(Error::ExpiresOutOfRange { seconds: 604_801 }),
        ),
        (
            PresignRequest::new("get", "https://b.example.com/k"),
            Err(Error::InvalidMethod {
                method: "get".into(),
            }),
        ),
    ] {
        assert_eq!(
            presigner.presign(&request, time).map(|_| ()),
            expected,
            "{request:?}"
        );
    }
    assert!(matches!(
        Presigner::new(creds.clone(), RegionSet::any(), "s/3"),
        Err(Error::InvalidScope {
            field: "service",
            ..
        })
    ));
    // A key derived from another access key id, or from the same id with another secret.
    for other in [
        Credentials::new("AKIDOTHER", SECRET).unwrap(),
        Credentials::new("AKIDEXAMPLE", "another-secret").unwrap(),
    ] {
        let key = SigningKey::derive(&other).unwrap();
        assert!(matches!(
            Presigner::with_key(creds.clone(), key, RegionSet::any(), "s3"),
            Err(Error::PresignerMismatch { .. })
        ));
    }
}

#[test]
fn buckets_that_refuse_this_presigner() {
    use sigv4_presign::Error;
    use sigv4_presign::s3::Bucket;
    let creds = Credentials::new("AKIDEXAMPLE", SECRET).unwrap();
    let time = parse_time("20240501T120000Z");
    // An access point checks the signing name s3; a directory bucket takes SigV4 only.
    let express = Presigner::new(creds.clone(), RegionSet::any(), "s3express").unwrap();
    let mrap = Bucket::multi_region_access_point("mfzwi23gnjvgw.mrap").unwrap();
    assert!(matches!(
        mrap.get_object("k").presign_sigv4a(&express, time),
        Err(Error::PresignerMismatch { .. })
    ));
    let directory = Bucket::new("mybucket--usw2-az1--x-s3", "us-west-2").unwrap();
    for service in ["s3", "s3express"] {
        let presigner = Presigner::new(creds.clone(), RegionSet::any(), service).unwrap();
        let err = directory
            .get_object("k")
            .presign_sigv4a(&presigner, time)
            .unwrap_err();
        assert!(matches!(err, Error::PresignerMismatch { .. }), "{err}");
        assert!(err.to_string().contains("SigV4 only"), "{err}");
    }
}

#[test]
fn the_s3_express_token_name_with_sigv4a() {
    use sigv4_presign::verify::{ReceivedRequest, Verifier, VerifyError};
    let creds = Credentials::new("AKIDEXAMPLE", SECRET)
        .unwrap()
        .with_session_token("to/ken")
        .unwrap();
    let time = parse_time("20240501T120000Z");
    let presigner = Presigner::new(creds.clone(), RegionSet::any(), "s3")
        .unwrap()
        .with_settings(Settings::s3_express_session());
    let signed = presigner
        .presign(&PresignRequest::get("https://b.example.com/k?z=1"), time)
        .unwrap();
    assert!(
        signed
            .url()
            .contains("&X-Amz-S3session-Token=to%2Fken&X-Amz-SignedHeaders=host&z=1&")
    );
    assert!(
        signed
            .canonical_request()
            .contains("&X-Amz-S3session-Token=to%2Fken&")
    );
    let target = signed.url()["https://b.example.com".len()..].to_string();
    let headers = [("host", "b.example.com")];
    let request = ReceivedRequest::new("GET", &target, &headers);
    let verifier = |settings| {
        Verifier::new(store(creds.clone()), "eu-west-1", "s3")
            .unwrap()
            .with_settings(settings)
    };
    assert!(
        verifier(Settings::s3_express_session())
            .verify(&request, time)
            .is_ok()
    );
    // Under the other name than the settings say: refused.
    assert!(matches!(
        verifier(Settings::s3()).verify(&request, time),
        Err(VerifyError::Malformed { .. })
    ));
    // A verifier that hands out SigV4 links only refuses SigV4a.
    assert_eq!(
        verifier(Settings::s3_express_session())
            .with_sigv4a(false)
            .verify(&request, time)
            .map(|_| ()),
        Err(VerifyError::UnsupportedAlgorithm {
            algorithm: "AWS4-ECDSA-P256-SHA256".into()
        })
    );
    // A region set S3 would not read is refused before any key is derived.
    for set in [
        "eu-west-1%2C%2A",
        "eu-west-1%2C%2Ceu-west-2",
        "eu-west-1%2C%20x",
    ] {
        let bad = target.replace("X-Amz-Region-Set=%2A", &format!("X-Amz-Region-Set={set}"));
        assert_ne!(bad, target);
        assert!(
            matches!(
                verifier(Settings::s3_express_session())
                    .verify(&ReceivedRequest::new("GET", &bad, &headers), time),
                Err(VerifyError::Malformed { .. })
            ),
            "{bad}"
        );
    }
}

fn store(creds: Credentials) -> impl Fn(&str) -> Option<Credentials> {
    move |id: &str| (id == creds.access_key_id()).then(|| creds.clone())
}

#[test]
fn aws_signed_urls_verify() {
    use sigv4_presign::verify::{ReceivedRequest, Verifier, VerifyError};
    let cases = parse(include_str!("vectors/aws-c-auth-v4a.txt"));
    let time = parse_time("20150830T123600Z");
    for case in &cases {
        let mut creds = Credentials::new("AKIDEXAMPLE", SECRET).unwrap();
        if let Some(token) = case.get("token") {
            creds = creds.with_session_token(token).unwrap();
        }
        let mut settings =
            Settings::aws_service().with_normalize_path(case.req("normalize") == "true");
        if case.flags.iter().any(|f| f == "omit-token") {
            settings = settings.with_session_token(SessionTokenMode::AppendAfterSigning);
        }
        if let Some(body) = case.get("body") {
            settings = settings.with_payload_hash(PayloadHash::of_body(unescape(body).as_bytes()));
        }
        let method = case.req("request").split(' ').next().unwrap();
        let target = case.req("signed-target");
        let mut headers: Vec<(&str, &str)> = vec![("Host", "example.amazonaws.com")];
        for (n, v) in &case.headers {
            headers.push((n, v));
        }
        let request = ReceivedRequest::new(method, target, &headers);
        let verifier = |creds: Credentials, region: &str| {
            Verifier::new(store(creds), region, "service")
                .unwrap()
                .with_settings(settings)
        };
        let ok = verifier(creds.clone(), "us-east-1")
            .verify(&request, time)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(ok.access_key_id(), "AKIDEXAMPLE");
        assert_eq!(ok.region(), "us-east-1", "the region set");
        assert_eq!(
            verifier(creds.clone(), "us-east-1")
                .canonical_request(&request)
                .unwrap(),
            case.req("creq"),
            "{}",
            case.name
        );
        // Another region than the set's, another secret, a tampered signature.
        assert!(
            matches!(
                verifier(creds.clone(), "us-west-2").verify(&request, time),
                Err(VerifyError::ScopeMismatch {
                    part: "region set",
                    ..
                })
            ),
            "{}",
            case.name
        );
        let mut other = Credentials::new("AKIDEXAMPLE", "another-secret").unwrap();
        if let Some(token) = case.get("token") {
            other = other.with_session_token(token).unwrap();
        }
        assert_eq!(
            verifier(other, "us-east-1").verify(&request, time),
            Err(VerifyError::SignatureMismatch),
            "{}",
            case.name
        );
        let signature = signature_of(target);
        let flipped = target.replace(
            signature,
            &format!(
                "{}{}",
                &signature[..10],
                &signature[10..].replacen('0', "1", 1)
            ),
        );
        assert_ne!(flipped, target);
        let tampered = ReceivedRequest::new(method, &flipped, &headers);
        assert_eq!(
            verifier(creds, "us-east-1")
                .verify(&tampered, time)
                .map(|_| ()),
            Err(VerifyError::SignatureMismatch),
            "{}",
            case.name
        );
    }
}

#[test]
fn region_sets_and_signature_forms_at_the_verifier() {
    use sigv4_presign::verify::{ReceivedRequest, Verifier, VerifyError};
    let creds = Credentials::new("AKIDEXAMPLE", SECRET).unwrap();
    let time = parse_time("20240501T120000Z");
    let request = PresignRequest::get("https://b.example.com/photos/a%20b.jpg");
    let headers = [("Host", "b.example.com")];
    let target = |signed: &PresignedUrl| signed.url()["https://b.example.com".len()..].to_string();
    let any = Presigner::new(creds.clone(), RegionSet::any(), "s3")
        .unwrap()
        .presign(&request, time)
        .unwrap();
    for region in ["us-east-1", "eu-central-2", "auto"] {
        let verifier = Verifier::new(store(creds.clone()), region, "s3").unwrap();
        let t = target(&any);
        let ok = verifier
            .verify(&ReceivedRequest::new("GET", &t, &headers), time)
            .unwrap();
        assert_eq!((ok.region(), ok.path()), ("*", "/photos/a b.jpg"));
        assert_eq!(ok.credential_scope(), "20240501/s3/aws4_request");
    }
    let two = Presigner::new(creds.clone(), "us-east-1,us-west-2".parse().unwrap(), "s3")
        .unwrap()
        .presign(&request, time)
        .unwrap();
    let t = target(&two);
    let received = ReceivedRequest::new("GET", &t, &headers);
    let verifier = |region| Verifier::new(store(creds.clone()), region, "s3").unwrap();
    assert!(verifier("us-west-2").verify(&received, time).is_ok());
    assert!(
        verifier("eu-west-1")
            .with_region("us-east-1")
            .unwrap()
            .verify(&received, time)
            .is_ok()
    );
    assert!(matches!(
        verifier("eu-west-1").verify(&received, time),
        Err(VerifyError::ScopeMismatch {
            part: "region set",
            ..
        })
    ));
    // The signature exactly as written: upper case, an escape or a padded DER are refused.
    let signature = two.signature();
    for (from, to) in [
        (signature.to_string(), signature.to_uppercase()),
        (
            signature[..2].to_string(),
            "%33".to_string() + &signature[1..2],
        ),
        (signature.to_string(), format!("{signature}00")),
    ] {
        let bad = t.replacen(&from, &to, 1);
        assert!(
            verifier("us-east-1")
                .verify(&ReceivedRequest::new("GET", &bad, &headers), time)
                .is_err(),
            "{bad}"
        );
    }
    // The SigV4 verifier of the same keys and region does not take a SigV4a URL as SigV4.
    let v4 = sigv4_presign::Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
    let v4_url = v4.presign(&request, time).unwrap();
    let v4_target = target(&v4_url);
    assert!(
        verifier("us-east-1")
            .verify(&ReceivedRequest::new("GET", &v4_target, &headers), time)
            .is_ok()
    );
}

#[test]
fn multi_region_access_points_as_awscrt_signs_them() {
    use sigv4_presign::s3::Bucket;
    let cases = parse(include_str!("vectors/awscrt-v4a.txt"));
    let creds = Credentials::new("AKIDEXAMPLE", SECRET).unwrap();
    let presigner = Presigner::new(creds.clone(), RegionSet::any(), "s3").unwrap();
    let mrap = Bucket::multi_region_access_point(
        "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap",
    )
    .unwrap();
    let case = cases.iter().find(|c| c.name == "s3-mrap-get-star").unwrap();
    let signed = mrap
        .get_object("photos/a b.jpg")
        .presign_sigv4a(&presigner, parse_time(case.req("time")))
        .unwrap();
    check(
        case,
        &signed,
        presigner.public_key(),
        "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com".len(),
    );

    // A SigV4 presigner, or a region set short of `*`, is refused with a reason.
    let v4 = sigv4_presign::Presigner::new(creds.clone(), "us-east-1", "s3").unwrap();
    let err = mrap
        .get_object("k")
        .presign(&v4, parse_time(case.req("time")))
        .unwrap_err();
    assert!(err.to_string().contains("needs SigV4a"), "{err}");
    let narrow = Presigner::new(creds.clone(), "us-east-1".parse().unwrap(), "s3").unwrap();
    assert!(
        mrap.get_object("k")
            .presign_sigv4a(&narrow, parse_time(case.req("time")))
            .is_err()
    );
    // An ordinary bucket takes a set that names its region.
    let bucket = Bucket::new("my-bucket", "us-west-2").unwrap();
    let two = Presigner::new(creds, "us-east-1,us-west-2".parse().unwrap(), "s3").unwrap();
    let signed = bucket
        .put_object("a.txt")
        .presign_sigv4a(&two, parse_time(case.req("time")))
        .unwrap();
    assert!(signed.url().starts_with(
        "https://my-bucket.s3.us-west-2.amazonaws.com/a.txt?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&"
    ));
    assert!(
        bucket
            .put_object("a.txt")
            .presign_sigv4a(&narrow, parse_time(case.req("time")))
            .is_err()
    );
}
