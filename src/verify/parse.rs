//! Reading a presigned request as it arrived: its target, its caps, and its
//! authentication parameters.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use time::OffsetDateTime;

use crate::sigv4::params::{
    ALGORITHM, X_AMZ_ALGORITHM, X_AMZ_CREDENTIAL, X_AMZ_DATE, X_AMZ_EXPIRES, X_AMZ_SECURITY_TOKEN,
    X_AMZ_SIGNATURE, X_AMZ_SIGNED_HEADERS,
};
use crate::sigv4::{AmzDate, Decoded, escapes_are_valid, is_token};
use crate::verify::VerifyError;

/// The longest request target (path and query) accepted, in bytes.
pub const MAX_TARGET_LEN: usize = 16 * 1024;
/// The most request headers accepted.
pub const MAX_HEADERS: usize = 256;
/// The longest header value accepted, in bytes.
pub const MAX_HEADER_VALUE_LEN: usize = 16 * 1024;
/// The most query parameters accepted.
pub const MAX_QUERY_PARAMS: usize = 1024;

/// A request as it arrived: the method, the request target (path and query, in wire form,
/// exactly as in the request line) and the headers.
///
/// The `Host` value is compared as the signer wrote it: lower-cased, without the scheme's
/// default port (`:443`; `:80` after [`ReceivedRequest::over_http`]).
///
/// `Debug` shows the path and header names only: the query may hold a session token.
#[derive(Clone, Copy)]
pub struct ReceivedRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) target: &'a str,
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) default_port: &'static str,
}

impl<'a> ReceivedRequest<'a> {
    /// A request received over https. `headers` must include `Host`.
    pub fn new(method: &'a str, target: &'a str, headers: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            method,
            target,
            headers,
            default_port: ":443",
        }
    }

    /// The request came over plain http (its default port is 80, not 443).
    pub fn over_http(mut self) -> Self {
        self.default_port = ":80";
        self
    }

    /// Refuses what is larger than the caps or cannot be a request: a method that is not
    /// an HTTP token, a target with a control character or `#`, that does not start with
    /// `/`, or whose percent-escapes are broken. Returns the path and the query.
    pub(crate) fn check_and_split(&self) -> Result<(&'a str, &'a str), VerifyError> {
        let too_large = |what, limit| Err(VerifyError::TooLarge { what, limit });
        if self.target.len() > MAX_TARGET_LEN {
            return too_large("the request target", MAX_TARGET_LEN);
        }
        if self.headers.len() > MAX_HEADERS {
            return too_large("the number of headers", MAX_HEADERS);
        }
        if self
            .headers
            .iter()
            .any(|(_, v)| v.len() > MAX_HEADER_VALUE_LEN)
        {
            return too_large("a header value", MAX_HEADER_VALUE_LEN);
        }
        if !is_token(self.method) {
            return Err(malformed("the method is not an HTTP token"));
        }
        let target = self.target;
        // A raw space is tolerated (AWS's CRT suite signs request lines holding one).
        if target.bytes().any(|b| b < b' ' || b == 0x7f || b == b'#') {
            return Err(malformed(
                "the request target holds a control character or `#`",
            ));
        }
        if !target.starts_with('/') {
            return Err(malformed("the request target must start with `/`"));
        }
        if !escapes_are_valid(target.as_bytes()) {
            return Err(malformed("invalid percent-escape in the request target"));
        }
        Ok(target.split_once('?').unwrap_or((target, "")))
    }
}

impl fmt::Debug for ReceivedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.target.split('?').next().unwrap_or_default();
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &path)
            .field("header_names", &names)
            .finish_non_exhaustive()
    }
}

/// The authentication parameters of a presigned request, read and checked for form.
pub(crate) struct PresignedParams<'q> {
    pub(crate) access_key_id: String,
    pub(crate) scope_date: String,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) terminator: String,
    pub(crate) amz_date: AmzDate,
    pub(crate) signed_at: OffsetDateTime,
    pub(crate) expires_at: OffsetDateTime,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signature: [u8; 32],
    pub(crate) token: Option<Cow<'q, str>>,
}

/// The raw values, percent-decoded, each at most once.
#[derive(Default)]
struct ReceivedAuth<'q> {
    algorithm: Option<Cow<'q, str>>,
    credential: Option<Cow<'q, str>>,
    date: Option<Cow<'q, str>>,
    expires: Option<Cow<'q, str>>,
    signed_headers: Option<Cow<'q, str>>,
    signature: Option<Cow<'q, str>>,
    token: Option<Cow<'q, str>>,
}

impl<'q> PresignedParams<'q> {
    /// Reads the authentication parameters of `query` (escapes checked).
    pub(crate) fn parse(query: &'q str) -> Result<Self, VerifyError> {
        let auth = ReceivedAuth::collect(query)?;
        let required =
            |value: Option<Cow<'q, str>>, name| value.ok_or(VerifyError::MissingParameter { name });
        let algorithm = required(auth.algorithm, X_AMZ_ALGORITHM)?;
        if algorithm != ALGORITHM {
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
            split_credential(&credential)?;
        let amz_date = AmzDate::parse(&date)
            .map_err(|_| malformed("X-Amz-Date is not YYYYMMDD'T'HHMMSS'Z'"))?;
        let signed_at = amz_date.to_offset_date_time();
        let expires_at = signed_at
            .checked_add(time::Duration::seconds(i64::from(parse_expires(&expires)?)))
            .ok_or(malformed("X-Amz-Date plus X-Amz-Expires is out of range"))?;
        Ok(Self {
            access_key_id: access_key_id.into(),
            scope_date: scope_date.into(),
            region: region.into(),
            service: service.into(),
            terminator: terminator.into(),
            amz_date,
            signed_at,
            expires_at,
            signed_headers: parse_signed_headers(&signed_headers)?,
            signature: crate::sigv4::decode_32_lower(&signature).ok_or(malformed(
                "X-Amz-Signature is not 64 lower-case hexadecimal digits",
            ))?,
            token: auth.token,
        })
    }
}

impl<'q> ReceivedAuth<'q> {
    /// Collects the auth parameters, refusing duplicates and bad escapes.
    fn collect(query: &'q str) -> Result<Self, VerifyError> {
        let mut auth = Self::default();
        for (count, pair) in query.split('&').filter(|p| !p.is_empty()).enumerate() {
            if count >= MAX_QUERY_PARAMS {
                return Err(VerifyError::TooLarge {
                    what: "the number of query parameters",
                    limit: MAX_QUERY_PARAMS,
                });
            }
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (slot, name) = match name {
                X_AMZ_ALGORITHM => (&mut auth.algorithm, X_AMZ_ALGORITHM),
                X_AMZ_CREDENTIAL => (&mut auth.credential, X_AMZ_CREDENTIAL),
                X_AMZ_DATE => (&mut auth.date, X_AMZ_DATE),
                X_AMZ_EXPIRES => (&mut auth.expires, X_AMZ_EXPIRES),
                X_AMZ_SIGNED_HEADERS => (&mut auth.signed_headers, X_AMZ_SIGNED_HEADERS),
                X_AMZ_SIGNATURE => (&mut auth.signature, X_AMZ_SIGNATURE),
                X_AMZ_SECURITY_TOKEN => (&mut auth.token, X_AMZ_SECURITY_TOKEN),
                _ => continue,
            };
            if slot.is_some() {
                return Err(VerifyError::DuplicateParameter { name });
            }
            // The signature exactly as written: AWS writes 64 lower-case hex digits, never
            // an escape.
            *slot = Some(if name == X_AMZ_SIGNATURE {
                Cow::Borrowed(value)
            } else {
                decode_text(value)?
            });
        }
        Ok(auth)
    }
}

fn malformed(reason: &'static str) -> VerifyError {
    VerifyError::Malformed { reason }
}

/// `KEY/DATE/REGION/SERVICE/aws4_request` (the key holds no `/`) in its five parts.
fn split_credential(credential: &str) -> Result<[&str; 5], VerifyError> {
    let mut parts = credential.rsplitn(5, '/');
    let mut next = || parts.next();
    let (Some(terminator), Some(service), Some(region), Some(date), Some(key)) =
        (next(), next(), next(), next(), next())
    else {
        return Err(malformed(
            "X-Amz-Credential is not KEY/DATE/REGION/SERVICE/aws4_request",
        ));
    };
    if key.is_empty() {
        return Err(malformed("X-Amz-Credential names no access key id"));
    }
    Ok([key, date, region, service, terminator])
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

fn parse_signed_headers(text: &str) -> Result<Vec<String>, VerifyError> {
    let names: Vec<&str> = text.split(';').collect();
    let valid = names
        .iter()
        .all(|n| is_token(n) && !n.bytes().any(|b| b.is_ascii_uppercase()))
        && names.windows(2).all(|w| w[0] < w[1])
        && names.contains(&"host");
    if !valid {
        return Err(malformed(
            "X-Amz-SignedHeaders is not a sorted, `;`-separated list of lower-case header names including host",
        ));
    }
    Ok(names.into_iter().map(String::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_parts() {
        assert_eq!(
            split_credential("AK/20240101/us-east-1/s3/aws4_request").unwrap(),
            ["AK", "20240101", "us-east-1", "s3", "aws4_request"]
        );
        assert!(split_credential("/20240101/us-east-1/s3/aws4_request").is_err());
        assert!(split_credential("20240101/us-east-1/s3/aws4_request").is_err());
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
        assert_eq!(parse_signed_headers("a;host").unwrap(), ["a", "host"]);
        for bad in ["host;a", "a;a;host", "Host", "a", "a;;host", ""] {
            assert!(parse_signed_headers(bad).is_err(), "{bad:?}");
        }
    }
}
