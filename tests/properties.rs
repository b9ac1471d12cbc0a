//! Properties that hold for arbitrary requests. Each signed request is checked against a
//! canonical request, string to sign and signature computed here, independently of the
//! crate's own canonicalisation, from the decoded inputs; the emitted URL must carry exactly
//! the signed canonical query; S3 keys survive unchanged; no input panics.

use std::time::Duration;

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use proptest::prelude::*;
use sha2::{Digest, Sha256};
use sigv4_presign::{
    Credentials, PresignRequest, PresignedUrl, Presigner, SessionTokenMode, Settings,
};
use time::OffsetDateTime;

/// SigV4's encoding: everything but the RFC 3986 unreserved characters.
const AWS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// SigV4's encoding of a whole path: `/` kept.
const AWS_PATH: &AsciiSet = &AWS.remove(b'/');

fn aws(s: &str) -> String {
    utf8_percent_encode(s, AWS).to_string()
}

fn decode(s: &str) -> String {
    percent_decode_str(s)
        .decode_utf8()
        .expect("utf-8")
        .into_owned()
}

/// Characters RFC 3986 allows in a path (pchar and `/`), besides `%` escapes.
fn path_allowed(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b)
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{0,8}",
        "[ -~]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(10).collect()),
        Just(String::new()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("a b+c%2B~".to_owned()),
        Just("日本 😀 e\u{301}".to_owned()),
    ]
}

fn user_name() -> impl Strategy<Value = String> {
    // User parameters never use the signer's own names.
    text().prop_filter("not an auth parameter", |n| {
        !n.to_ascii_lowercase().starts_with("x-amz-")
    })
}

/// How a query name or value is written into the URL.
#[derive(Debug, Clone, Copy)]
struct Form {
    space_as_plus: bool,
    lower_hex: bool,
    raw_non_ascii: bool,
}

fn form() -> impl Strategy<Value = Form> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(space_as_plus, lower_hex, raw_non_ascii)| Form {
            space_as_plus,
            lower_hex,
            raw_non_ascii,
        },
    )
}

/// Writes `text` as a query component in `form`; it reads back as `text`.
fn write_query(text: &str, form: Form) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c == ' ' && form.space_as_plus {
            out.push('+');
        } else if c.is_ascii_alphanumeric()
            || "-._~!$'()*,;:@/?".contains(c)
            || (!c.is_ascii() && form.raw_non_ascii)
        {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                if form.lower_hex {
                    out.push_str(&format!("%{b:02x}"));
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Input {
    method: String,
    /// As written in the URL, and its canonical form.
    host: (&'static str, &'static str),
    segments: Vec<String>,
    /// Write the path with raw characters (space, non-ASCII) where a URL needs escapes.
    raw_path: bool,
    url_pairs: Vec<(String, String, Form, bool)>,
    raw_pairs: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    unix_time: i64,
    expires: u64,
    s3: bool,
    token: Option<String>,
    token_after: bool,
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,20}",
        "[ -~\t]{0,10}(\r?\n[ \t]{1,3}[ -~]{1,8}){0,3}",
        "[ -~é日😀]{0,10}",
    ]
}

fn input() -> impl Strategy<Value = Input> {
    (
        (
            prop_oneof![
                Just("GET".to_owned()),
                Just("PUT".to_owned()),
                "[A-Z]{1,7}",
                // Any token without lower-case letters (AWS's methods are upper case).
                "[A-Z0-9!#*+^_|~-]{1,5}"
            ],
            prop_oneof![
                Just(("Example.COM", "example.com")),
                Just((
                    "bucket.s3.us-west-2.amazonaws.com:443",
                    "bucket.s3.us-west-2.amazonaws.com"
                )),
                Just(("127.0.0.1:9000", "127.0.0.1:9000")),
                Just(("[::1]:8443", "[::1]:8443")),
            ],
            prop::collection::vec(text(), 0..5),
            any::<bool>(),
        ),
        prop::collection::vec((user_name(), text(), form(), any::<bool>()), 0..5),
        prop::collection::vec((user_name(), text()), 0..20),
        prop::collection::vec(("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}", header_value()), 0..5),
        (0i64..4_102_444_800, 1u64..=604_800),
        (
            any::<bool>(),
            prop::option::of("[A-Za-z0-9+/=]{1,40}"),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (method, host, segments, raw_path),
                url_pairs,
                raw_pairs,
                headers,
                (unix_time, expires),
                (s3, token, token_after),
            )| Input {
                method,
                host,
                segments,
                raw_path,
                url_pairs,
                raw_pairs,
                headers: headers
                    .into_iter()
                    .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
                    .collect(),
                unix_time,
                expires,
                s3,
                token,
                token_after,
            },
        )
}

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const REGION: &str = "eu-west-3";

impl Input {
    fn service(&self) -> &'static str {
        if self.s3 { "s3" } else { "execute-api" }
    }

    /// The path written into the URL.
    fn url_path(&self) -> String {
        self.segments
            .iter()
            .map(|segment| {
                let mut out = String::from("/");
                for c in segment.chars() {
                    let raw_ok = self.raw_path && (c == ' ' || !c.is_ascii());
                    if raw_ok || (c.is_ascii() && path_allowed(c as u8) && c != '/') {
                        out.push(c);
                    } else {
                        let mut buf = [0u8; 4];
                        for b in c.encode_utf8(&mut buf).bytes() {
                            out.push_str(&format!("%{b:02X}"));
                        }
                    }
                }
                out
            })
            .collect()
    }

    fn url(&self) -> String {
        let query: Vec<String> = self
            .url_pairs
            .iter()
            .map(|(n, v, form, bare)| {
                if v.is_empty() && *bare {
                    write_query(n, *form)
                } else {
                    format!("{}={}", write_query(n, *form), write_query(v, *form))
                }
            })
            .collect();
        format!(
            "https://{}{}?{}",
            self.host.0,
            self.url_path(),
            query.join("&")
        )
    }

    fn sign(&self) -> (String, PresignedUrl) {
        let mut creds = Credentials::new(ACCESS_KEY, SECRET).unwrap();
        if let Some(token) = &self.token {
            creds = creds.with_session_token(token.as_str()).unwrap();
        }
        let mode = if self.token_after {
            SessionTokenMode::AppendAfterSigning
        } else {
            SessionTokenMode::Signed
        };
        let settings = if self.s3 {
            Settings::s3()
        } else {
            Settings::aws_service()
        };
        let presigner = Presigner::new(creds, REGION, self.service())
            .unwrap()
            .with_settings(settings.with_session_token(mode));
        let url = self.url();
        let mut request = PresignRequest::new(self.method.as_str(), url.clone())
            .expires_in(Duration::from_secs(self.expires));
        for (n, v) in &self.raw_pairs {
            request = request.query(n.as_str(), v.as_str());
        }
        for (n, v) in &self.headers {
            request = request.header(n.as_str(), v.as_str());
        }
        let time = OffsetDateTime::from_unix_timestamp(self.unix_time).unwrap();
        let signed = presigner
            .presign(&request, time)
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        (url, signed)
    }

    fn amz_date(&self) -> String {
        let t = OffsetDateTime::from_unix_timestamp(self.unix_time).unwrap();
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            t.year(),
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    fn signs_token(&self) -> bool {
        self.token.is_some() && !self.token_after
    }

    /// The canonical headers, as (name, value), sorted.
    fn expected_headers(&self) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = vec![("host".to_owned(), self.host.1.to_owned())];
        for (n, v) in &self.headers {
            let n = n.to_ascii_lowercase();
            let unfolded = v.replace("\r\n", " ").replace('\n', " ");
            let v = unfolded
                .split([' ', '\t'])
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            match headers.iter_mut().find(|(m, _)| *m == n) {
                Some((_, joined)) => {
                    joined.push(',');
                    joined.push_str(&v);
                }
                None => headers.push((n, v)),
            }
        }
        headers.sort();
        headers
    }

    fn expected_query(&self) -> String {
        let date = self.amz_date();
        let signed_headers: Vec<String> = self
            .expected_headers()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let mut pairs: Vec<(String, String)> = self
            .url_pairs
            .iter()
            // An empty piece of a query (`a&&b`) is no parameter.
            .filter(|(n, v, _, bare)| !(n.is_empty() && v.is_empty() && *bare))
            .map(|(n, v, _, _)| (aws(n), aws(v)))
            .chain(self.raw_pairs.iter().map(|(n, v)| (aws(n), aws(v))))
            .collect();
        let credential = format!(
            "{ACCESS_KEY}/{}/{REGION}/{}/aws4_request",
            &date[..8],
            self.service()
        );
        pairs.push(("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()));
        pairs.push(("X-Amz-Credential".into(), aws(&credential)));
        pairs.push(("X-Amz-Date".into(), date));
        pairs.push(("X-Amz-Expires".into(), self.expires.to_string()));
        pairs.push(("X-Amz-SignedHeaders".into(), aws(&signed_headers.join(";"))));
        if self.signs_token() {
            pairs.push((
                "X-Amz-Security-Token".into(),
                aws(self.token.as_ref().unwrap()),
            ));
        }
        pairs.sort();
        pairs
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    fn expected_path(&self) -> String {
        if self.segments.is_empty() {
            return "/".into();
        }
        if self.s3 {
            return self
                .segments
                .iter()
                .map(|s| format!("/{}", aws(s)))
                .collect();
        }
        // The wire path (what a URL can carry), normalised, then encoded again.
        let wire: String = self
            .url_path()
            .bytes()
            .map(|b| {
                if path_allowed(b) || b == b'%' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let mut kept: Vec<&str> = Vec::new();
        for segment in wire.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    kept.pop();
                }
                s => kept.push(s),
            }
        }
        let mut path: String = kept.iter().map(|s| format!("/{s}")).collect();
        let trailing = wire.ends_with('/') || wire.ends_with("/.") || wire.ends_with("/..");
        if path.is_empty() || trailing {
            path.push('/');
        }
        utf8_percent_encode(&path, AWS_PATH).to_string()
    }

    fn expected_canonical_request(&self) -> String {
        let headers = self.expected_headers();
        let header_lines: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        let payload = if self.s3 {
            "UNSIGNED-PAYLOAD"
        } else {
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        };
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}",
            self.method,
            self.expected_path(),
            self.expected_query(),
            header_lines,
            names.join(";"),
            payload
        )
    }
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn signs_the_independently_computed_canonical_request(input in input()) {
        let (url, signed) = input.sign();
        let creq = input.expected_canonical_request();
        prop_assert_eq!(signed.canonical_request(), creq.clone(), "{}", url);

        let date = input.amz_date();
        let sts = format!(
            "AWS4-HMAC-SHA256\n{date}\n{}/{REGION}/{}/aws4_request\n{}",
            &date[..8],
            input.service(),
            hex::encode(Sha256::digest(creq.as_bytes()))
        );
        prop_assert_eq!(signed.string_to_sign(), sts.clone());

        let k_date = hmac(format!("AWS4{SECRET}").as_bytes(), &date[..8]);
        let k_region = hmac(&k_date, REGION);
        let k_service = hmac(&k_region, input.service());
        let k_signing = hmac(&k_service, "aws4_request");
        let signature = hex::encode(hmac(&k_signing, &sts));
        prop_assert_eq!(signed.signature(), signature.as_str());

        // The URL carries exactly the signed canonical query, then the signature.
        let mut query = input.expected_query();
        if let (Some(token), true) = (&input.token, input.token_after) {
            query = format!("{query}&X-Amz-Security-Token={}", aws(token));
        }
        let url_query = signed.url().split_once('?').unwrap().1;
        prop_assert_eq!(url_query, format!("{query}&X-Amz-Signature={signature}"));
        prop_assert_eq!(signed.expires_at() - signed.signed_at(), time::Duration::seconds(input.expires as i64));
    }

    #[test]
    fn s3_keys_survive_and_urls_are_sendable(input in input()) {
        let (_, signed) = input.sign();
        let url = signed.url();
        prop_assert!(url.bytes().all(|b| b.is_ascii_graphic()), "only printable ASCII: {}", url);
        let after_host = &url["https://".len()..];
        let path = &after_host[after_host.find('/').unwrap()..after_host.find('?').unwrap()];
        if input.s3 {
            // No segment a URL library would resolve away.
            prop_assert!(path.split('/').all(|s| s != "." && s != ".."), "{}", path);
            let segments: Vec<String> = path.split('/').skip(1).map(decode).collect();
            if input.segments.is_empty() {
                prop_assert_eq!(path, "/");
            } else {
                prop_assert_eq!(segments, input.segments.clone());
            }
        }
    }

    #[test]
    fn arbitrary_input_never_panics(
        method in any::<String>(),
        url in prop_oneof![any::<String>(), "https?://[ -~]{0,40}", "https://h/[ -~]{0,40}", "https://h/[^#]{0,20}\\?[^#]{0,20}"],
        header in (any::<String>(), any::<String>()),
        param in (any::<String>(), any::<String>()),
        seconds in any::<u64>(),
        unix in -100_000_000_000i64..300_000_000_000,
        verbatim in any::<bool>(),
    ) {
        let creds = Credentials::new("AKID", "secret").unwrap();
        let presigner = Presigner::new(creds, "us-east-1", "s3").unwrap();
        let mut request = PresignRequest::new(method, url)
            .header(header.0, header.1)
            .query(param.0, param.1)
            .expires_in(Duration::from_secs(seconds));
        if verbatim {
            request = request.verbatim_path();
        }
        if let Ok(time) = OffsetDateTime::from_unix_timestamp(unix) {
            for settings in [Settings::s3(), Settings::aws_service(), Settings::s3().with_normalize_path(true)] {
                if let Ok(signed) = presigner.clone().with_settings(settings).presign(&request, time) {
                    let _ = (signed.canonical_request(), signed.string_to_sign(), format!("{signed:?}"));
                }
            }
        }
    }
}

#[test]
fn presigner_is_send_and_sync_and_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Presigner>();
    assert_send_sync::<PresignedUrl>();

    let creds = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .unwrap();
    let presigner = Presigner::new(creds, "us-east-1", "s3").unwrap();
    let request = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
        .expires_in(Duration::from_secs(86400));
    let day1 = time::macros::datetime!(2013-05-24 0:00 UTC);
    let day2 = time::macros::datetime!(2013-05-25 0:00 UTC);
    let expected1 = presigner.presign(&request, day1).unwrap().into_url();
    let expected2 = presigner.presign(&request, day2).unwrap().into_url();
    std::thread::scope(|s| {
        for t in 0..4 {
            let (presigner, request) = (&presigner, &request);
            let (e1, e2) = (&expected1, &expected2);
            s.spawn(move || {
                // Alternating days makes the threads race on the cached key.
                for i in 0..2000 {
                    let (time, expected) = if (i + t) % 3 == 0 {
                        (day2, e2)
                    } else {
                        (day1, e1)
                    };
                    assert_eq!(
                        presigner.presign(request, time).unwrap().url(),
                        expected.as_str()
                    );
                }
            });
        }
    });
    assert!(
        expected1.ends_with("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    );
}
