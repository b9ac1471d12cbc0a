//! The same S3 GET presigned by sigv4-presign, aws-sigv4 and rusty-s3, beside the
//! cryptographic floor, in one run; ends with the line
//! `ratios: aws-sigv4/ours=… rusty-s3/ours=… ours/floor=… ours-fresh/floor-derive=…`
//! (medians).
//!
//! `cargo bench --manifest-path benches/compare/Cargo.toml`

#[path = "../../support/floor.rs"]
mod floor;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use criterion::Criterion;

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt";
const EXPIRES: Duration = Duration::from_secs(86400);
/// 2013-05-24T00:00:00Z, the S3 documentation's example time.
const UNIX_TIME: u64 = 1_369_353_600;

/// The S3 documentation's URL, which every contender must produce.
const EXPECTED_SIGNATURE: &str = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

fn ours_reused() -> impl FnMut() -> String {
    use sigv4_presign::{Credentials, PresignRequest, Presigner};
    let presigner = Presigner::new(Credentials::new(KEY_ID, SECRET).unwrap(), "us-east-1", "s3").unwrap();
    let request = PresignRequest::get(URL).expires_in(EXPIRES);
    let time = time::OffsetDateTime::from_unix_timestamp(UNIX_TIME as i64).unwrap();
    move || presigner.presign(black_box(&request), black_box(time)).unwrap().into_url()
}

fn ours_fresh() -> impl FnMut() -> String {
    use sigv4_presign::{Credentials, PresignRequest, Presigner};
    let credentials = Credentials::new(KEY_ID, SECRET).unwrap();
    let request = PresignRequest::get(URL).expires_in(EXPIRES);
    let time = time::OffsetDateTime::from_unix_timestamp(UNIX_TIME as i64).unwrap();
    move || {
        let presigner = Presigner::new(credentials.clone(), "us-east-1", "s3").unwrap();
        presigner.presign(black_box(&request), black_box(time)).unwrap().into_url()
    }
}

fn aws_sigv4() -> impl FnMut() -> String {
    use aws_sigv4::http_request::{
        PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
        UriPathNormalizationMode, sign,
    };
    use aws_sigv4::sign::v4;
    let identity = aws_credential_types::Credentials::new(KEY_ID, SECRET, None, None, "bench").into();
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(UNIX_TIME);
    move || {
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(EXPIRES);
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("s3")
            .time(black_box(time))
            .settings(settings)
            .build()
            .unwrap()
            .into();
        let signable =
            SignableRequest::new("GET", black_box(URL), std::iter::empty(), SignableBody::UnsignedPayload).unwrap();
        let (instructions, _signature) = sign(signable, &params).unwrap().into_parts();
        let mut request = http::Request::builder().uri(URL).body(()).unwrap();
        instructions.apply_to_request_http1x(&mut request);
        request.uri().to_string()
    }
}

fn rusty_s3() -> impl FnMut() -> String {
    use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
    let endpoint = url::Url::parse("https://s3.amazonaws.com").unwrap();
    let bucket = Bucket::new(endpoint, UrlStyle::VirtualHost, "examplebucket", "us-east-1").unwrap();
    let credentials = Credentials::new(KEY_ID, SECRET);
    let time = jiff::Timestamp::from_second(UNIX_TIME as i64).unwrap();
    move || {
        let action = bucket.get_object(Some(&credentials), black_box("test.txt"));
        action.sign_with_time(EXPIRES, black_box(&time)).to_string()
    }
}

/// Where criterion keeps its estimates.
fn criterion_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

/// The median of a finished benchmark, from criterion's saved estimates.
fn median_ns(id: &str) -> Option<f64> {
    let text = std::fs::read_to_string(criterion_dir().join(id).join("new").join("estimates.json")).ok()?;
    let median = &text[text.find("\"median\"")?..];
    let point = &median[median.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = point.find([',', '}'])?;
    point[..end].trim().parse().ok()
}

fn main() {
    // Every contender produces the documented URL before it is timed.
    for (name, mut f) in [
        ("ours", Box::new(ours_reused()) as Box<dyn FnMut() -> String>),
        ("ours-fresh", Box::new(ours_fresh())),
        ("aws-sigv4", Box::new(aws_sigv4())),
        ("rusty-s3", Box::new(rusty_s3())),
    ] {
        let url = f();
        assert!(url.ends_with(EXPECTED_SIGNATURE), "{name} signed differently: {url}");
    }

    // Ratios come from this run only: forget the estimates of earlier ones.
    for name in ["floor", "floor-derive", "ours", "ours-fresh", "aws-sigv4", "rusty-s3"] {
        let _ = std::fs::remove_dir_all(criterion_dir().join("s3_get").join(name).join("new"));
    }
    let mut c = Criterion::default().configure_from_args();
    let signed = {
        use sigv4_presign::{Credentials, PresignRequest, Presigner};
        let presigner = Presigner::new(Credentials::new(KEY_ID, SECRET).unwrap(), "us-east-1", "s3").unwrap();
        let time = time::OffsetDateTime::from_unix_timestamp(UNIX_TIME as i64).unwrap();
        presigner.presign(&PresignRequest::get(URL).expires_in(EXPIRES), time).unwrap()
    };
    let (creq, sts) = (signed.canonical_request(), signed.string_to_sign());
    let key = *sigv4_presign::SigningKey::derive(
        &sigv4_presign::Credentials::new(KEY_ID, SECRET).unwrap(),
        time::macros::date!(2013 - 05 - 24),
        "us-east-1",
        "s3",
    )
    .unwrap()
    .as_bytes();
    let prefixed = format!("AWS4{SECRET}");

    let mut group = c.benchmark_group("s3_get");
    group.bench_function("floor", |b| {
        b.iter(|| floor::floor(black_box(creq.as_bytes()), black_box(sts.as_bytes()), black_box(&key)))
    });
    group.bench_function("floor-derive", |b| {
        b.iter(|| {
            floor::floor_with_derivation(
                black_box(creq.as_bytes()),
                black_box(sts.as_bytes()),
                black_box(prefixed.as_bytes()),
                b"20130524",
                b"us-east-1",
                b"s3",
            )
        })
    });
    let mut f = ours_reused();
    group.bench_function("ours", |b| b.iter(&mut f));
    let mut f = ours_fresh();
    group.bench_function("ours-fresh", |b| b.iter(&mut f));
    let mut f = aws_sigv4();
    group.bench_function("aws-sigv4", |b| b.iter(&mut f));
    let mut f = rusty_s3();
    group.bench_function("rusty-s3", |b| b.iter(&mut f));
    group.finish();
    c.final_summary();

    let m = |name: &str| median_ns(&format!("s3_get/{name}"));
    match (m("floor"), m("floor-derive"), m("ours"), m("ours-fresh"), m("aws-sigv4"), m("rusty-s3")) {
        (Some(floor), Some(floor_derive), Some(ours), Some(fresh), Some(aws), Some(rusty)) => {
            println!(
                "medians (ns): floor={floor:.0} floor-derive={floor_derive:.0} ours={ours:.0} ours-fresh={fresh:.0} aws-sigv4={aws:.0} rusty-s3={rusty:.0}"
            );
            println!(
                "ratios: aws-sigv4/ours={:.2} rusty-s3/ours={:.2} ours/floor={:.2} ours-fresh/floor-derive={:.2}",
                aws / ours,
                rusty / ours,
                ours / floor,
                fresh / floor_derive
            );
        }
        _ => println!("ratios: unavailable (run every benchmark of the group, without a filter)"),
    }
}
