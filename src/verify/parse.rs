//! Reading a presigned request as it arrived: its target, its caps, and its
//! authentication parameters.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use time::OffsetDateTime;

use crate::sigv4::params::{
    ALGORITHM, ALGORITHM_SIGV4A, X_AMZ_ALGORITHM, X_AMZ_CREDENTIAL, X_AMZ_DATE, X_AMZ_EXPIRES,
    X_AMZ_REGION_SET, X_AMZ_S3SESSION_TOKEN, X_AMZ_SECURITY_TOKEN, X_AMZ_SIGNATURE,
    X_AMZ_SIGNED_HEADERS,
};
use crate::sigv4::{AmzDate, Decoded, Piece, hex_value, is_token, is_unreserved};
use crate::verify::VerifyError;

/// The most query parameters accepted.
pub const MAX_QUERY_PARAMS: usize = 1024;

/// The authentication parameters of a presigned request, read and checked for form;
/// borrowed from the query where nothing had to be decoded.
pub(crate) struct PresignedParams<'q> {
    pub(crate) access_key_id: Cow<'q, str>,
    pub(crate) scope_date: Cow<'q, str>,
    /// The scope's region; for SigV4a, the region set (`X-Amz-Region-Set`, decoded).
    pub(crate) region: Cow<'q, str>,
    /// Whether the algorithm is SigV4a's.
    pub(crate) sigv4a: bool,
    pub(crate) service: Cow<'q, str>,
    pub(crate) terminator: Cow<'q, str>,
    pub(crate) amz_date: AmzDate,
    pub(crate) signed_at: OffsetDateTime,
    pub(crate) expires_at: OffsetDateTime,
    /// `X-Amz-SignedHeaders`, checked: sorted, `;`-separated, lower case, `host` among them.
    pub(crate) signed_headers: Cow<'q, str>,
    /// `X-Amz-Signature` exactly as written: 64 lower-case hex digits (SigV4a: an even
    /// number of them, a DER signature to be read).
    pub(crate) signature: &'q str,
    pub(crate) token: Option<Cow<'q, str>>,
    /// The parameter that carried the token: `X-Amz-Security-Token`, or S3 Express One
    /// Zone's `X-Amz-S3session-Token`.
    pub(crate) token_name: &'static str,
}

/// The values, each at most once, decoded but for the credential and the signature.
#[derive(Default)]
struct ReceivedAuth<'q> {
    algorithm: Option<Cow<'q, str>>,
    credential: Option<&'q str>,
    date: Option<Cow<'q, str>>,
    expires: Option<Cow<'q, str>>,
    signed_headers: Option<Cow<'q, str>>,
    signature: Option<&'q str>,
    token: Option<Cow<'q, str>>,
    token_name: &'static str,
    region_set: Option<Cow<'q, str>>,
}

impl<'q> PresignedParams<'q> {
    /// Reads the authentication parameters of `query` (escapes checked); returns them and
    /// every parameter of the query, in the order received.
    pub(crate) fn parse(query: &'q str) -> Result<(Self, Vec<Piece<'q>>), VerifyError> {
        let (auth, pieces) = ReceivedAuth::collect(query)?;
        fn required<T>(value: Option<T>, name: &'static str) -> Result<T, VerifyError> {
            value.ok_or(VerifyError::MissingParameter { name })
        }
        let algorithm = required(auth.algorithm, X_AMZ_ALGORITHM)?;
        let sigv4a = cfg!(feature = "sigv4a") && algorithm == ALGORITHM_SIGV4A;
        if algorithm != ALGORITHM && !sigv4a {
            return Err(VerifyError::UnsupportedAlgorithm {
                algorithm: algorithm.chars().take(64).collect(),
            });
        }
        let credential = required(auth.credential, X_AMZ_CREDENTIAL)?;
        let date = required(auth.date, X_AMZ_DATE)?;
        let expires = required(auth.expires, X_AMZ_EXPIRES)?;
        let signed_headers = required(auth.signed_headers, X_AMZ_SIGNED_HEADERS)?;
        let signature = required(auth.signature, X_AMZ_SIGNATURE)?;

        let [access_key_id, scope_date, region, service, terminator] =
            credential_parts(credential, sigv4a)?;
        let region = if sigv4a {
            required(auth.region_set, X_AMZ_REGION_SET)?
        } else {
            region
        };
        let (amz_date, signed_at) = AmzDate::parse_instant(&date)
            .map_err(|_| malformed("X-Amz-Date is not YYYYMMDD'T'HHMMSS'Z'"))?;
        let expires_at = signed_at
            .checked_add(time::Duration::seconds(i64::from(parse_expires(&expires)?)))
            .ok_or(malformed("X-Amz-Date plus X-Amz-Expires is out of range"))?;
        check_signed_headers(&signed_headers)?;
        // The signature exactly as written: AWS writes 64 lower-case hex digits, never an
        // escape.
        if sigv4a {
            if !is_lower_hex_der(signature) {
                return Err(malformed(
                    "X-Amz-Signature is not a DER signature in lower-case hexadecimal digits",
                ));
            }
        } else if !is_lower_hex_64(signature) {
            return Err(malformed(
                "X-Amz-Signature is not 64 lower-case hexadecimal digits",
            ));
        }
        let params = Self {
            access_key_id,
            scope_date,
            region,
            sigv4a,
            service,
            terminator,
            amz_date,
            signed_at,
            expires_at,
            signed_headers,
            signature,
            token: auth.token,
            token_name: auth.token_name,
        };
        Ok((params, pieces))
    }

    /// The signed header names, lower case and sorted.
    pub(crate) fn signed_header_names(&self) -> impl Iterator<Item = &str> + Clone {
        self.signed_headers.split(';')
    }
}

impl<'q> ReceivedAuth<'q> {
    /// Collects the auth parameters, refusing duplicates, and every parameter, in one pass
    /// that checks the escapes and notes which parameters are canonical as written.
    fn collect(query: &'q str) -> Result<(Self, Vec<Piece<'q>>), VerifyError> {
        let bytes = query.as_bytes();
        let mut auth = Self::default();
        let mut pieces = Vec::with_capacity(8);
        // Per parameter: where its first `=` is, whether it is canonical as written, and
        // whether it holds a `%` or `+` (something to decode).
        let (mut start, mut equals, mut canonical, mut escaped) = (0, None, true, false);
        let mut i = 0;
        loop {
            // Runs of unreserved bytes, the bulk of a query: 16 at a time (in arithmetic the
            // compiler vectorises), then one lookup a byte.
            while let Some(chunk) = bytes
                .get(i..i + 16)
                .and_then(|c| <&[u8; 16]>::try_from(c).ok())
                && chunk
                    .iter()
                    .fold(true, |plain, &b| plain & is_unreserved(b))
            {
                i += 16;
            }
            while bytes
                .get(i)
                .is_some_and(|&b| UNRESERVED_BYTES[usize::from(b)])
            {
                i += 1;
            }
            match bytes.get(i) {
                None | Some(b'&') => {
                    if i > start {
                        let (name, value) = match equals {
                            Some(at) => (&query[start..at], &query[at + 1..i]),
                            None => (&query[start..i], ""),
                        };
                        if pieces.len() >= MAX_QUERY_PARAMS {
                            return Err(VerifyError::TooLarge {
                                what: "the number of query parameters",
                                limit: MAX_QUERY_PARAMS,
                            });
                        }
                        pieces.push(if canonical {
                            Piece::Canonical { name, value }
                        } else {
                            Piece::Wire { name, value }
                        });
                        auth.add(name, value, escaped)?;
                    }
                    if i >= bytes.len() {
                        return Ok((auth, pieces));
                    }
                    (start, equals, canonical, escaped) = (i + 1, None, true, false);
                }
                Some(b'=') if equals.is_none() => equals = Some(i),
                Some(b'%') => {
                    let (Some(&high), Some(&low)) = (bytes.get(i + 1), bytes.get(i + 2)) else {
                        return Err(malformed("invalid percent-escape in the request target"));
                    };
                    let (Some(h), Some(l)) = (hex_value(high), hex_value(low)) else {
                        return Err(malformed("invalid percent-escape in the request target"));
                    };
                    // Canonical: upper-case digits, for a byte that must be escaped.
                    canonical &= high < b'a' && low < b'a' && !is_unreserved(h << 4 | l);
                    escaped = true;
                    i += 2;
                }
                // Anything else must be escaped in the canonical query.
                Some(&b) => {
                    canonical = false;
                    escaped |= b == b'+';
                }
            }
            i += 1;
        }
    }

    /// Notes an auth parameter in its slot (at most once), decoded if it was `escaped`;
    /// whether `name` is one.
    fn add(&mut self, name: &'q str, value: &'q str, escaped: bool) -> Result<bool, VerifyError> {
        let duplicate = |name| Err(VerifyError::DuplicateParameter { name });
        // Taken as written: the credential (split at its `/`, which may be escaped, before
        // it is decoded) and the signature (AWS writes 64 lower-case hex digits, never an
        // escape).
        let (raw, name) = match name {
            X_AMZ_CREDENTIAL => (&mut self.credential, X_AMZ_CREDENTIAL),
            X_AMZ_SIGNATURE => (&mut self.signature, X_AMZ_SIGNATURE),
            _ => {
                let (slot, name) = match name {
                    X_AMZ_ALGORITHM => (&mut self.algorithm, X_AMZ_ALGORITHM),
                    X_AMZ_DATE => (&mut self.date, X_AMZ_DATE),
                    X_AMZ_EXPIRES => (&mut self.expires, X_AMZ_EXPIRES),
                    X_AMZ_SIGNED_HEADERS => (&mut self.signed_headers, X_AMZ_SIGNED_HEADERS),
                    X_AMZ_SECURITY_TOKEN => (&mut self.token, X_AMZ_SECURITY_TOKEN),
                    // S3 Express One Zone's session token: one token, under either name.
                    X_AMZ_S3SESSION_TOKEN => (&mut self.token, X_AMZ_S3SESSION_TOKEN),
                    X_AMZ_REGION_SET => (&mut self.region_set, X_AMZ_REGION_SET),
                    _ => return Ok(false),
                };
                if slot.is_some() {
                    return duplicate(name);
                }
                if name == X_AMZ_SECURITY_TOKEN || name == X_AMZ_S3SESSION_TOKEN {
                    self.token_name = name;
                }
                *slot = Some(if escaped {
                    decode_text(value)?
                } else {
                    Cow::Borrowed(value)
                });
                return Ok(true);
            }
        };
        if raw.replace(value).is_some() {
            return duplicate(name);
        }
        Ok(true)
    }
}

/// RFC 3986's unreserved bytes, as a table.
const UNRESERVED_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_unreserved(b as u8);
        b += 1;
    }
    table
};

fn malformed(reason: &'static str) -> VerifyError {
    VerifyError::Malformed { reason }
}

/// The five parts of `X-Amz-Credential` as received (escapes checked), decoded.
///
/// SigV4a's credential, `KEY/DATE/SERVICE/aws4_request`, has no region: its region part
/// is empty.
fn credential_parts(credential: &str, sigv4a: bool) -> Result<[Cow<'_, str>; 5], VerifyError> {
    // The usual form, `KEY%2FDATE%2FREGION%2FSERVICE%2Faws4_request`: the four `/` escaped,
    // nothing else to decode. Its parts are borrowed as they stand.
    let plain = credential
        .bytes()
        .fold(true, |ok, b| ok & (b != b'/') & (b != b'+'));
    if !sigv4a
        && plain
        && let Some(parts) = split_at_escaped_slashes(credential)
    {
        return Ok(parts.map(Cow::Borrowed));
    }
    let [key, date, region, service, terminator] = split_credential(credential, sigv4a)?;
    Ok([
        decode_text(key)?,
        decode_text(date)?,
        decode_text(region)?,
        decode_text(service)?,
        decode_text(terminator)?,
    ])
}

/// The credential split at exactly four `%2F` when it holds no other `%`; `None` otherwise.
fn split_at_escaped_slashes(credential: &str) -> Option<[&str; 5]> {
    let mut parts = [""; 5];
    let mut rest = credential;
    for part in &mut parts[..4] {
        let at = rest.find('%')?;
        if rest.as_bytes().get(at + 1..at + 3) != Some(b"2F".as_slice()) {
            return None;
        }
        *part = &rest[..at];
        rest = &rest[at + 3..];
    }
    if rest.contains('%') || parts[0].is_empty() {
        return None;
    }
    parts[4] = rest;
    Some(parts)
}

/// `KEY/DATE/REGION/SERVICE/aws4_request` in its five parts, split as received (at `/`
/// or `%2F`, which decode to the same `/`), still to be decoded.
///
/// With `sigv4a`, the credential is split at its last three separators, and the region is
/// empty.
fn split_credential(credential: &str, sigv4a: bool) -> Result<[&str; 5], VerifyError> {
    let bytes = credential.as_bytes();
    // The last four separators, as (start, end) ranges, the latest last.
    let mut separators = [(0, 0); 4];
    let mut found = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let width = match b {
            b'/' => 1,
            b'%' if bytes
                .get(i + 1..i + 3)
                .is_some_and(|d| d.eq_ignore_ascii_case(b"2f")) =>
            {
                3
            }
            _ => 0,
        };
        if width > 0 {
            separators.rotate_left(1);
            separators[3] = (i, i + width);
            found += 1;
            i += width;
        } else {
            i += 1;
        }
    }
    if sigv4a {
        if found < 3 {
            return Err(malformed(
                "X-Amz-Credential is not KEY/DATE/SERVICE/aws4_request (SigV4a)",
            ));
        }
        let [_, a, c, d] = separators;
        let key = &credential[..a.0];
        if key.is_empty() {
            return Err(malformed("X-Amz-Credential names no access key id"));
        }
        return Ok([
            key,
            &credential[a.1..c.0],
            "",
            &credential[c.1..d.0],
            &credential[d.1..],
        ]);
    }
    if found < 4 {
        return Err(malformed(
            "X-Amz-Credential is not KEY/DATE/REGION/SERVICE/aws4_request",
        ));
    }
    let [a, b, c, d] = separators;
    let key = &credential[..a.0];
    if key.is_empty() {
        return Err(malformed("X-Amz-Credential names no access key id"));
    }
    Ok([
        key,
        &credential[a.1..b.0],
        &credential[b.1..c.0],
        &credential[c.1..d.0],
        &credential[d.1..],
    ])
}

/// Percent-decodes an auth parameter value, which must be UTF-8 text.
fn decode_text(value: &str) -> Result<Cow<'_, str>, VerifyError> {
    if !value.bytes().any(|b| b == b'%' || b == b'+') {
        return Ok(Cow::Borrowed(value));
    }
    let bytes: Vec<u8> = Decoded::new(value, true).collect();
    String::from_utf8(bytes)
        .map(Cow::Owned)
        .map_err(|_| malformed("an auth parameter is not UTF-8 text"))
}

fn parse_expires(text: &str) -> Result<u32, VerifyError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("X-Amz-Expires is not a number of seconds"));
    }
    let seconds = text.bytes().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    });
    if !(1..=604_800).contains(&seconds) {
        return Err(VerifyError::ExpiresOutOfRange { seconds });
    }
    Ok(seconds as u32)
}

fn check_signed_headers(text: &str) -> Result<(), VerifyError> {
    let mut names = text.split(';');
    let mut previous = names.next().unwrap_or_default();
    let mut valid = is_lower_token(previous);
    let mut host = previous == "host";
    for name in names {
        valid &= is_lower_token(name) && previous < name;
        host |= name == "host";
        previous = name;
    }
    if valid && host {
        Ok(())
    } else {
        Err(malformed(
            "X-Amz-SignedHeaders is not a sorted, `;`-separated list of lower-case header names including host",
        ))
    }
}

fn is_lower_token(name: &str) -> bool {
    is_token(name) && !name.bytes().any(|b| b.is_ascii_uppercase())
}

/// An ECDSA P-256 signature in DER, as lower-case hex: an even number of digits, at most
/// 144 (the form itself is read when the signature is checked).
fn is_lower_hex_der(text: &str) -> bool {
    text.len().is_multiple_of(2)
        && (16..=144).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_lower_hex_64(text: &str) -> bool {
    text.len() == 64
        && text.bytes().fold(true, |ok, b| {
            ok & (b.wrapping_sub(b'0') < 10 || b.wrapping_sub(b'a') < 6)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_usual_form_are_borrowed() {
        let parts =
            credential_parts("AK%2F20240101%2Fus-east-1%2Fs3%2Faws4_request", false).unwrap();
        assert_eq!(parts, ["AK", "20240101", "us-east-1", "s3", "aws4_request"]);
        assert!(parts.iter().all(|p| matches!(p, Cow::Borrowed(_))));
        // Anything else takes the general path, with the same parts.
        for (given, expected) in [
            ("A%2FK%2F1%2F2%2F3%2F4", ["A/K", "1", "2", "3", "4"]),
            ("AK%2f1%2F2%2F3%2F4", ["AK", "1", "2", "3", "4"]),
            ("AK/1%2F2%2F3%2F4", ["AK", "1", "2", "3", "4"]),
            ("A+K%2F1%2F2%2F3%2F4", ["A K", "1", "2", "3", "4"]),
            ("AK%2F1%2F2%2F3%2F4%41", ["AK", "1", "2", "3", "4A"]),
        ] {
            assert_eq!(credential_parts(given, false).unwrap(), expected, "{given}");
        }
        for bad in ["%2F1%2F2%2F3%2F4", "AK%2F1%2F2%2F3", "AK%2F1%2F2"] {
            assert!(credential_parts(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn credential_parts_split() {
        assert_eq!(
            split_credential("AK/20240101/us-east-1/s3/aws4_request", false).unwrap(),
            ["AK", "20240101", "us-east-1", "s3", "aws4_request"]
        );
        assert_eq!(
            split_credential("A%2FK%2f20240101/us-east-1%2Fs3%2Faws4_request", false).unwrap(),
            ["A%2FK", "20240101", "us-east-1", "s3", "aws4_request"]
        );
        assert_eq!(
            split_credential("A/K/1/2/3/4", false).unwrap(),
            ["A/K", "1", "2", "3", "4"]
        );
        assert_eq!(
            split_credential("K////", false).unwrap(),
            ["K", "", "", "", ""]
        );
        assert!(split_credential("/20240101/us-east-1/s3/aws4_request", false).is_err());
        assert!(split_credential("%2F20240101/us-east-1/s3/aws4_request", false).is_err());
        assert!(split_credential("K/20240101/us-east-1/s3%2", false).is_err());
        assert!(split_credential("20240101/us-east-1/s3/aws4_request", false).is_err());
        assert_eq!(
            split_credential("A/K%2F20240101/s3/aws4_request", true).unwrap(),
            ["A/K", "20240101", "", "s3", "aws4_request"]
        );
        assert!(split_credential("20240101/s3/aws4_request", true).is_err());
        assert!(split_credential("/20240101/s3/aws4_request", true).is_err());
    }

    /// Whether each parameter was read as canonical as written.
    fn canonical_flags(query: &str) -> Vec<bool> {
        let (_, pieces) = ReceivedAuth::collect(query).unwrap();
        pieces
            .iter()
            .map(|p| matches!(p, Piece::Canonical { .. }))
            .collect()
    }

    #[test]
    fn parameters_canonical_as_written() {
        assert_eq!(
            canonical_flags("a=b&%2F=%20&c&d=&e=%2f&f=%41&g=a+b&h=a=b&i=*&j=%E1%88%B4&k=é"),
            [
                true, true, true, true, false, false, false, false, false, true, false
            ]
        );
        // Exactly when encoding the decoded text gives it back.
        for b in 0..=255u8 {
            let escaped = alloc::format!("%{b:02X}");
            let mut text = String::new();
            crate::sigv4::push_canonical(&mut text, &escaped, true);
            assert_eq!(canonical_flags(&escaped), [text == escaped], "{escaped}");
            if b.is_ascii() && b != b'&' && b != b'%' && b != b'=' {
                let raw = alloc::format!("a{}", b as char);
                text.clear();
                crate::sigv4::push_canonical(&mut text, &raw, true);
                assert_eq!(canonical_flags(&raw), [text == raw], "{raw}");
            }
        }
        for bad in ["a=%", "a=%2", "%zz=1", "a=1&b=%4g"] {
            assert!(ReceivedAuth::collect(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn expiry_and_headers() {
        assert_eq!(parse_expires("604800").unwrap(), 604_800);
        assert!(matches!(
            parse_expires("604801"),
            Err(VerifyError::ExpiresOutOfRange { seconds: 604_801 })
        ));
        assert!(matches!(
            parse_expires("99999999999999999999999"),
            Err(VerifyError::ExpiresOutOfRange { seconds: u64::MAX })
        ));
        assert!(parse_expires("").is_err() && parse_expires("+1").is_err());
        for good in ["host", "a;host", "a;b;host;x-amz-date"] {
            assert!(check_signed_headers(good).is_ok(), "{good:?}");
        }
        for bad in [
            "host;a", "a;a;host", "Host", "a", "a;;host", "", ";host", "host;",
        ] {
            assert!(check_signed_headers(bad).is_err(), "{bad:?}");
        }
    }
}
