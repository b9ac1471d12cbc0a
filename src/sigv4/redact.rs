//! Hiding session tokens in text that is shown: URLs, canonical requests, logs.

use alloc::borrow::Cow;
use alloc::string::String;

use crate::sigv4::encoding::Decoded;
use crate::sigv4::params::{X_AMZ_S3SESSION_TOKEN, X_AMZ_SECURITY_TOKEN};

/// What a redacted value reads.
pub const REDACTED: &str = "<redacted>";

/// `text` with the value of every session-token parameter and header replaced by
/// `<redacted>`: in a URL or a canonical request, a query parameter whose name is
/// `X-Amz-Security-Token` (or S3 Express One Zone's `X-Amz-S3session-Token`) in any case
/// or percent-encoding (`X-Amz-Security-Toke%6E=…`), and a header line
/// `x-amz-security-token:…` (or `x-amz-s3session-token:…`).
///
/// ```
/// use sigv4_presign::sigv4::redact_session_tokens;
///
/// let url = "https://h/k?X-Amz-Security-Token=SECRET&a=1&x-amz-security-toke%6E=SECRET";
/// assert_eq!(
///     redact_session_tokens(url),
///     "https://h/k?X-Amz-Security-Token=<redacted>&a=1&x-amz-security-toke%6E=<redacted>"
/// );
/// ```
pub fn redact_session_tokens(text: &str) -> Cow<'_, str> {
    if !text
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"toke"))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let end = rest.find(['?', '&', '\n']).unwrap_or(rest.len());
        let (segment, tail) = rest.split_at(end);
        push_segment(&mut out, segment);
        let Some(separator) = tail.chars().next() else {
            break;
        };
        out.push(separator);
        rest = &tail[separator.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Appends one `name=value` (or `name:value`) segment, its value hidden if it is a token.
fn push_segment(out: &mut String, segment: &str) {
    let is_token = |name: &str| {
        [X_AMZ_SECURITY_TOKEN, X_AMZ_S3SESSION_TOKEN]
            .iter()
            .any(|token| {
                let mut decoded = Decoded::new(name, true);
                token
                    .bytes()
                    .all(|t| decoded.next().is_some_and(|b| b.eq_ignore_ascii_case(&t)))
                    && decoded.next().is_none()
            })
    };
    for separator in ['=', ':'] {
        if let Some((name, _)) = segment.split_once(separator)
            && is_token(name)
        {
            out.push_str(name);
            out.push(separator);
            out.push_str(REDACTED);
            return;
        }
    }
    out.push_str(segment);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_in_every_form() {
        let canonical = "GET\n/k\nX-Amz-Date=1&X-Amz-Security-Token=AAA&X-Amz-Security-Token=BBB\n\
                         host:h\nx-amz-security-token:CCC\n\nhost;x-amz-security-token\nUNSIGNED";
        let shown = redact_session_tokens(canonical);
        for secret in ["AAA", "BBB", "CCC"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(
            shown,
            "GET\n/k\nX-Amz-Date=1&X-Amz-Security-Token=<redacted>&X-Amz-Security-Token=<redacted>\n\
             host:h\nx-amz-security-token:<redacted>\n\nhost;x-amz-security-token\nUNSIGNED"
        );
        for url in [
            "https://h/?X-Amz-Security-Token=SECRET",
            "https://h/?a=1&X-AMZ-SECURITY-TOKEN=SECRET&b=2",
            "https://h/?X-Amz-Security-Toke%6E=SECRET",
            "https://h/?X-Amz-Security%2DToken=SECRET",
            "https://h/?X-Amz-S3session-Token=SECRET&X-Amz-Signature=1",
            "x-amz-s3session-token:SECRET",
        ] {
            let shown = redact_session_tokens(url);
            assert!(
                !shown.contains("SECRET") && shown.contains(REDACTED),
                "{url}"
            );
        }
        for kept in [
            "https://h/?X-Amz-Security-Tokens=x",
            "https://h/?a=token",
            "https://h/?X-Amz-Security-Token",
            "no token here",
        ] {
            assert_eq!(redact_session_tokens(kept), kept);
        }
        assert!(matches!(redact_session_tokens("plain"), Cow::Borrowed(_)));
    }
}
