//! Step 1b, the signer's part: the authentication parameters it adds to the query.
//!
//! Their text is the same for every URL a presigner signs but for the date, the expiry
//! and the signed header names, so the presigner writes the rest once, in one allocation
//! ([`AuthQueryTemplate`]), and each URL copies it around those three values.

use alloc::boxed::Box;
use alloc::string::String;
use core::ops::Range;

use crate::sigv4::amz_date::AmzDate;
use crate::sigv4::canonical_headers::{Header, for_each_header};
use crate::sigv4::decimal::push_u64;
use crate::sigv4::encoding::{self, UNRESERVED};
use crate::sigv4::params::{
    ALGORITHM, AND_X_AMZ_CREDENTIAL, AND_X_AMZ_DATE, AND_X_AMZ_EXPIRES, AND_X_AMZ_SIGNATURE,
    AND_X_AMZ_SIGNED_HEADERS, AuthParam, X_AMZ_ALGORITHM,
};
use crate::sigv4::settings::{SessionTokenMode, TokenParameter};

/// The text of the auth parameters that depends on the presigner, made once, in one
/// allocation:
///
/// ```text
/// X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=KEY%2F       (before the date)
/// %2FREGION%2FSERVICE%2Faws4_request&X-Amz-Date=                  (after the date)
/// &X-Amz-Security-Token=TOKEN                                      (the token's piece)
/// ```
///
/// The rest of the query (`&X-Amz-Expires=`, `&X-Amz-SignedHeaders=`,
/// `&X-Amz-Signature=`) is constant. The session token's piece stands in its sorted place
/// (before `X-Amz-SignedHeaders`) when it is signed in place, and after the signed
/// headers otherwise ([`SessionTokenMode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthQueryTemplate {
    text: Box<str>,
    /// Where the date goes: the end of the part before it.
    date_at: usize,
    /// Where the part after the date ends and the token's piece begins.
    token_at: usize,
    /// The key and scope inside the credential: `KEY%2F` starts at `key_at`; the region
    /// and service stand after the date.
    key_at: usize,
    region: Range<usize>,
    service: Range<usize>,
    /// Whether the token stands in its sorted place (and is signed there).
    token_in_place: bool,
    /// The parameter that carries the token.
    token_parameter: TokenParameter,
}

impl AuthQueryTemplate {
    /// The text for `access_key_id`, the scope's region and service (unreserved
    /// characters, checked by the caller) and a session token placed as `mode` says.
    pub(crate) fn new(
        access_key_id: &str,
        region: &str,
        service: &str,
        session_token: Option<&str>,
        mode: SessionTokenMode,
        token_parameter: TokenParameter,
    ) -> Self {
        let encoded_len = |s: &str| -> usize {
            s.bytes()
                .map(|b| if encoding::is_unreserved(b) { 1 } else { 3 })
                .sum()
        };
        let token_name = token_parameter.name();
        let token_len = session_token.map_or(0, |t| token_name.len() + 2 + encoded_len(t));
        // The exact length, so that the boxed text is the one allocation.
        let len = X_AMZ_ALGORITHM.len()
            + ALGORITHM.len()
            + AND_X_AMZ_CREDENTIAL.len()
            + encoded_len(access_key_id)
            + region.len()
            + service.len()
            + 3 * 3
            + "%2Faws4_request".len()
            + AND_X_AMZ_DATE.len()
            + 1
            + token_len;
        let mut text = String::with_capacity(len);
        text.push_str(X_AMZ_ALGORITHM);
        text.push('=');
        text.push_str(ALGORITHM);
        text.push_str(AND_X_AMZ_CREDENTIAL);
        let key_at = text.len();
        encoding::push_encoded(&mut text, access_key_id.as_bytes(), UNRESERVED);
        text.push_str("%2F");
        let date_at = text.len();
        text.push_str("%2F");
        let region_at = text.len();
        text.push_str(region);
        let region = region_at..text.len();
        text.push_str("%2F");
        let service_at = text.len();
        text.push_str(service);
        let service = service_at..text.len();
        text.push_str("%2Faws4_request");
        text.push_str(AND_X_AMZ_DATE);
        let token_at = text.len();
        if let Some(token) = session_token {
            text.push('&');
            text.push_str(token_name);
            text.push('=');
            encoding::push_encoded(&mut text, token.as_bytes(), UNRESERVED);
        }
        debug_assert_eq!(text.len(), len);
        Self {
            text: text.into_boxed_str(),
            date_at,
            token_at,
            key_at,
            region,
            service,
            token_in_place: mode == SessionTokenMode::Signed,
            token_parameter,
        }
    }

    fn part(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or_default()
    }

    /// The scope's region.
    pub(crate) fn region(&self) -> &str {
        self.part(self.region.clone())
    }

    /// The scope's service.
    pub(crate) fn service(&self) -> &str {
        self.part(self.service.clone())
    }

    /// `&X-Amz-Security-Token=TOKEN`, or empty without a token.
    fn token_piece(&self) -> &str {
        self.text.get(self.token_at..).unwrap_or_default()
    }

    /// Whether a session token is signed in its sorted place.
    pub(crate) fn signs_token_in_place(&self) -> bool {
        self.token_in_place && !self.token_piece().is_empty()
    }

    /// The encoded session token, if any.
    pub(crate) fn encoded_token(&self) -> Option<&str> {
        let value = self
            .token_piece()
            .get(self.token_parameter.name().len() + 2..)?;
        (!value.is_empty()).then_some(value)
    }

    /// The token's place among the auth parameters, under its name.
    pub(crate) fn token_param(&self) -> AuthParam {
        match self.token_parameter {
            TokenParameter::SecurityToken => AuthParam::SecurityToken,
            TokenParameter::S3Session => AuthParam::S3SessionToken,
        }
    }

    /// The parameter that carries the token.
    pub(crate) fn token_parameter(&self) -> TokenParameter {
        self.token_parameter
    }

    /// Appends what follows the signed header names: the token when it is listed last,
    /// and `&X-Amz-Signature=`.
    pub(crate) fn push_tail(&self, out: &mut String) {
        if !self.token_in_place {
            out.push_str(self.token_piece());
        }
        out.push_str(AND_X_AMZ_SIGNATURE);
    }

    /// The bytes the URL needs beyond the request's own and the signed header names.
    pub(crate) fn url_len(&self) -> usize {
        self.text.len()
            + AND_X_AMZ_EXPIRES.len()
            + AND_X_AMZ_SIGNED_HEADERS.len()
            + AND_X_AMZ_SIGNATURE.len()
            + 8
            + 16
            + 6
            + 4
            + 64
    }
}

/// Where a written query's landmarks stand in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct QueryLandmarks {
    /// Where the value of `X-Amz-Credential` starts.
    pub(crate) credential_at: usize,
    /// Where the piece left out (a token listed last) would sort: the start of the first
    /// piece after it, or the end.
    pub(crate) left_out_at: usize,
}

/// The values of the auth parameters of one URL.
pub(crate) struct AuthQuery<'a> {
    pub(crate) template: &'a AuthQueryTemplate,
    pub(crate) amz_date: &'a AmzDate,
    pub(crate) expires: u32,
    pub(crate) headers: &'a [Header],
}

impl AuthQuery<'_> {
    /// Writes every signed auth parameter, in canonical order (the token only when it is
    /// signed in place), in as few pieces as the order allows. The test
    /// `write_all_matches_the_pieces` holds it to the parameter-by-parameter writer.
    pub(crate) fn write_all(&self, out: &mut String) -> QueryLandmarks {
        let t = self.template;
        let credential_at = out.len() + t.key_at;
        let amz_date = self.amz_date.as_str();
        out.push_str(t.part(0..t.date_at));
        out.push_str(amz_date.get(..8).unwrap_or_default());
        out.push_str(t.part(t.date_at..t.token_at));
        out.push_str(amz_date);
        out.push_str(AND_X_AMZ_EXPIRES);
        push_u64(out, u64::from(self.expires));
        if t.signs_token_in_place() {
            out.push_str(t.token_piece());
        }
        // A token listed last sorts just before `X-Amz-SignedHeaders`, whose piece starts
        // after the `&`.
        let left_out_at = out.len() + 1;
        out.push_str(AND_X_AMZ_SIGNED_HEADERS);
        self.write_names(out);
        QueryLandmarks {
            credential_at,
            left_out_at,
        }
    }

    /// The region and service in the URL, given where the credential's value starts.
    pub(crate) fn scope_in_url(&self, credential_at: usize) -> (Range<usize>, Range<usize>) {
        let t = self.template;
        // The date (8 bytes) stands between the key and the region.
        let shift = |range: &Range<usize>| {
            let at = credential_at + 8 + range.start - t.key_at;
            at..at + range.len()
        };
        (shift(&t.region), shift(&t.service))
    }

    /// Writes the value of `param`.
    pub(crate) fn write(&self, param: AuthParam, out: &mut String) {
        let t = self.template;
        match param {
            AuthParam::Algorithm => out.push_str(ALGORITHM),
            AuthParam::Credential => {
                out.push_str(t.part(t.key_at..t.date_at));
                out.push_str(self.amz_date.date());
                let scope_len = t.token_at - t.date_at - AND_X_AMZ_DATE.len();
                out.push_str(t.part(t.date_at..t.date_at + scope_len));
            }
            AuthParam::Date => out.push_str(self.amz_date.as_str()),
            AuthParam::Expires => push_u64(out, u64::from(self.expires)),
            AuthParam::SecurityToken | AuthParam::S3SessionToken => {
                out.push_str(t.encoded_token().unwrap_or_default())
            }
            AuthParam::SignedHeaders => self.write_names(out),
        }
    }

    fn write_names(&self, out: &mut String) {
        push_signed_header_names(out, self.headers);
    }
}

/// Appends the signed header names, `host` among them, joined by `;` (encoded `%3B`), as
/// `X-Amz-SignedHeaders` carries them.
pub(crate) fn push_signed_header_names(out: &mut String, headers: &[Header]) {
    if headers.is_empty() {
        out.push_str("host");
        return;
    }
    // Only names are written, so the host's value is not needed.
    let mut first = true;
    for_each_header("", headers, |name, _| {
        if !first {
            out.push_str("%3B");
        }
        first = false;
        encoding::push_encoded(out, name.as_bytes(), UNRESERVED);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigv4::params::SIGNED_AUTH_PARAMS;
    use time::macros::datetime;

    fn template(token: Option<&str>, mode: SessionTokenMode) -> AuthQueryTemplate {
        AuthQueryTemplate::new(
            "AKID",
            "us-east-1",
            "s3",
            token,
            mode,
            TokenParameter::SecurityToken,
        )
    }

    #[test]
    fn url_len_covers_the_auth_query_tightly() {
        let date = AmzDate::new(datetime!(2013-05-24 0:00 UTC)).unwrap();
        for (token, mode) in [
            (None, SessionTokenMode::Signed),
            (Some("tok/en+="), SessionTokenMode::Signed),
            (Some("tok/en+="), SessionTokenMode::SignedListedLast),
        ] {
            let t = template(token, mode);
            let auth = AuthQuery {
                template: &t,
                amz_date: &date,
                expires: 604_800,
                headers: &[],
            };
            let mut out = String::new();
            auth.write_all(&mut out);
            t.push_tail(&mut out);
            // The 64 hex digits of the signature come last; with the longest expiry the
            // estimate is exact.
            let written = out.len() + 64;
            assert!(
                (written..=written + 2).contains(&t.url_len()),
                "{} for {written}",
                t.url_len()
            );
        }
    }

    #[test]
    fn write_all_matches_the_pieces() {
        let date = AmzDate::new(datetime!(2013-05-24 0:00 UTC)).unwrap();
        let headers = [
            ("content-type".into(), "x".into()),
            ("x-amz-meta-a".into(), "y".into()),
        ];
        for (token, headers) in [(None, &headers[..0]), (Some("tok/en"), &headers[..])] {
            let t = template(token, SessionTokenMode::Signed);
            assert_eq!((t.region(), t.service()), ("us-east-1", "s3"));
            assert_eq!(t.signs_token_in_place(), token.is_some());
            let auth = AuthQuery {
                template: &t,
                amz_date: &date,
                expires: 86400,
                headers,
            };
            let mut fast = String::from("https://h/?");
            let landmarks = auth.write_all(&mut fast);
            let (region, service) = auth.scope_in_url(landmarks.credential_at);
            assert_eq!((&fast[region], &fast[service]), ("us-east-1", "s3"));
            assert!(fast[landmarks.left_out_at..].starts_with("X-Amz-SignedHeaders="));
            let fast = &fast["https://h/?".len()..];
            let mut pieces = String::new();
            for param in SIGNED_AUTH_PARAMS {
                if param == AuthParam::SecurityToken && token.is_none() {
                    continue;
                }
                if !pieces.is_empty() {
                    pieces.push('&');
                }
                pieces.push_str(param.name());
                pieces.push('=');
                auth.write(param, &mut pieces);
            }
            assert_eq!(fast, pieces);
            let mut tail = String::new();
            t.push_tail(&mut tail);
            assert_eq!(tail, "&X-Amz-Signature=");
        }
    }

    #[test]
    fn the_token_stands_where_the_mode_says() {
        let date = AmzDate::new(datetime!(2013-05-24 0:00 UTC)).unwrap();
        for mode in [
            SessionTokenMode::SignedListedLast,
            SessionTokenMode::AppendAfterSigning,
        ] {
            let t = template(Some("a b"), mode);
            assert!(!t.signs_token_in_place());
            assert_eq!(t.encoded_token(), Some("a%20b"));
            let mut out = String::new();
            AuthQuery {
                template: &t,
                amz_date: &date,
                expires: 60,
                headers: &[],
            }
            .write_all(&mut out);
            t.push_tail(&mut out);
            assert_eq!(
                out,
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20130524%2Fus-east-1\
                 %2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60\
                 &X-Amz-SignedHeaders=host&X-Amz-Security-Token=a%20b&X-Amz-Signature="
            );
            assert!(t.url_len() >= out.len() + 64);
        }
        let t = template(None, SessionTokenMode::SignedListedLast);
        assert_eq!(t.encoded_token(), None);
        assert!(!t.signs_token_in_place());
    }
}
