//! Step 1c: the canonical headers and the signed header names.
//!
//! Names are lower-cased and sorted; values are trimmed and their runs of spaces folded
//! into one; a name given more than once becomes one header whose values are joined with
//! `,` in the order given. `host` is always signed, from the URL.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Result};

/// A signed header other than `host`: lower-case name, canonical value.
pub(crate) type Header = (String, String);

/// Whether `name` is an HTTP token (RFC 9110 `tchar`s).
pub(crate) fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Calls `f` for every signed header, `host` included, in sorted order.
pub(crate) fn for_each_header<'h>(
    host: &'h str,
    headers: &'h [Header],
    mut f: impl FnMut(&'h str, &'h str),
) {
    // `headers` never holds `host` (it is signed from the URL), so `<` and `<=` agree.
    let split = headers.partition_point(|(name, _)| name.as_str() < "host");
    for (name, value) in &headers[..split] {
        f(name, value);
    }
    f("host", host);
    for (name, value) in &headers[split..] {
        f(name, value);
    }
}

/// Appends the canonical form of a header value: trimmed, every run of spaces and tabs
/// (and folded line breaks) collapsed into one space.
///
/// A line break is allowed only as an obsolete line fold: CRLF or LF followed by at least
/// one space or tab. Any other CR, LF or control character (but tab) is refused.
pub(crate) fn push_header_value(out: &mut String, name: &str, value: &str) -> Result<()> {
    let bad = |reason| Error::InvalidHeaderValue {
        name: name.into(),
        reason,
    };
    let bytes = value.as_bytes();
    // The usual value: visible characters only, nothing to trim or collapse.
    if bytes
        .iter()
        .fold(true, |plain, &b| plain & (b > b' ') & (b != 0x7f))
    {
        out.push_str(value);
        return Ok(());
    }
    let mut space_pending = false;
    let mut word_start = None;
    let mut i = 0;
    while i < bytes.len() {
        let fold = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
            b'\r' => {
                return Err(bad(
                    "a carriage return (CR) that does not start a folded line",
                ));
            }
            b'\n' => 1,
            b' ' | b'\t' => 0,
            // (A space was taken by the arm above: `<` and `<=` agree here.)
            b if b < b' ' || b == 0x7f => return Err(bad("a control character")),
            _ => {
                if word_start.is_none() {
                    if space_pending {
                        out.push(' ');
                        space_pending = false;
                    }
                    word_start = Some(i);
                }
                i += 1;
                continue;
            }
        };
        // (For a space, `bytes[i + 0]` is that space: `>` and `>=` agree here.)
        if fold > 0 && !matches!(bytes.get(i + fold), Some(b' ' | b'\t')) {
            return Err(bad(
                "a line break (CR or LF) that is not followed by a space or tab",
            ));
        }
        if let Some(start) = word_start.take() {
            out.push_str(&value[start..i]);
            space_pending = true;
        }
        i += fold.max(1);
    }
    if let Some(start) = word_start {
        out.push_str(&value[start..]);
    }
    Ok(())
}

/// Canonicalises the extra headers of a request: names lower-cased and checked, values
/// canonicalised, repeated names (in any case) merged into one header whose values are
/// joined with `,` in the order given, the list sorted by name. A `host` header must equal
/// `host` (the URL's, with or without the scheme's default port) and is left out: `host`
/// is always signed from the URL.
pub(crate) fn canonical_headers<'h>(
    headers: impl ExactSizeIterator<Item = (&'h str, &'h str)>,
    host: &str,
    default_port: u16,
) -> Result<Vec<Header>> {
    let merged = merge_headers(headers, |given| {
        let same = given.eq_ignore_ascii_case(host)
            || given.rsplit_once(':').is_some_and(|(h, port)| {
                h.eq_ignore_ascii_case(host) && port.parse() == Ok(default_port)
            });
        if same {
            Ok(())
        } else {
            Err(Error::HostHeaderMismatch {
                given,
                url_host: host.into(),
            })
        }
    })?;
    if let Some((name, _)) = merged
        .iter()
        .find(|(name, _)| RESERVED_HEADERS.contains(&name.as_str()))
    {
        return Err(Error::ReservedHeader { name: name.clone() });
    }
    Ok(merged)
}

/// Headers a presigned URL cannot sign: the authentication is the signer's, in the query.
const RESERVED_HEADERS: [&str; 8] = [
    "authorization",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-security-token",
    "x-amz-signature",
    "x-amz-signedheaders",
];

/// The merging and sorting of [`canonical_headers`]; every `host` value is handed to
/// `on_host` instead of being kept. It sorts once (stably, so that repeated names keep
/// the order given) and merges neighbours: O(n log n) in the number of headers.
pub(crate) fn merge_headers<'h>(
    headers: impl Iterator<Item = (&'h str, &'h str)>,
    mut on_host: impl FnMut(String) -> Result<()>,
) -> Result<Vec<Header>> {
    let mut all: Vec<Header> = Vec::with_capacity(headers.size_hint().0);
    for (name, value) in headers {
        if !is_token(name) {
            return Err(Error::InvalidHeaderName { name: name.into() });
        }
        let lower = name.to_ascii_lowercase();
        let mut canonical = String::with_capacity(value.len());
        push_header_value(&mut canonical, &lower, value)?;
        if lower == "host" {
            on_host(canonical)?;
        } else {
            all.push((lower, canonical));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let mut merged: Vec<Header> = Vec::with_capacity(all.len());
    for (name, value) in all {
        match merged.last_mut() {
            Some((last, joined)) if *last == name => {
                joined.push(',');
                joined.push_str(&value);
            }
            _ => merged.push((name, value)),
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn value(v: &str) -> Result<String> {
        let mut s = String::new();
        push_header_value(&mut s, "x", v).map(|()| s)
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        for (given, canonical) in [
            ("  value1 ", "value1"),
            ("\"a   b   c\"", "\"a b c\""),
            ("a\t \tb", "a b"),
            ("value1\n  value2\n     value3", "value1 value2 value3"),
            ("value1\r\n\tvalue2", "value1 value2"),
            ("a\r\n b\n\tc", "a b c"),
            ("\r\n a", "a"),
            ("a\r\n ", "a"),
            ("", ""),
            ("   ", ""),
            ("x", "x"),
            ("ab cd", "ab cd"),
        ] {
            assert_eq!(value(given).as_deref(), Ok(canonical), "{given:?}");
        }
    }

    #[test]
    fn header_values_refuse_bare_line_breaks() {
        for v in [
            "a\nb", "a\r\nb", "a\rb", "a\r b", "a\n", "a\r\n", "a\0b", "a\x7fb", "\n", "\x7f",
        ] {
            assert!(
                matches!(value(v), Err(Error::InvalidHeaderValue { .. })),
                "{v:?} accepted"
            );
        }
        assert_eq!(
            value("a\rb").unwrap_err().to_string(),
            "invalid value for header \"x\": a carriage return (CR) that does not start a \
             folded line; remove it, a header value is one line (a line break followed by \
             spaces or tabs folds into one space)"
        );
        assert!(
            value("a\nb")
                .unwrap_err()
                .to_string()
                .contains("not followed")
        );
        assert!(value("a\0b").unwrap_err().to_string().contains("a control"));
    }

    #[test]
    fn tokens() {
        assert!(is_token("x-amz-meta-a!#$%&'*+.^_`|~"));
        for bad in ["", "a b", "a:b", "a\"", "é", "a(b)"] {
            assert!(!is_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn headers_merge_and_sort() {
        let h = canonical_headers(
            [
                ("My-Header1", "value4"),
                ("X-B", "1"),
                ("my-header1", " value1 "),
                ("Content-Type", "a"),
                ("MY-HEADER1", "value2"),
            ]
            .into_iter(),
            "h",
            443,
        )
        .unwrap();
        let names: Vec<_> = h.iter().map(|(n, v)| alloc::format!("{n}:{v}")).collect();
        assert_eq!(
            names,
            ["content-type:a", "my-header1:value4,value1,value2", "x-b:1"]
        );
        assert!(matches!(
            canonical_headers([("Bad Name", "v")].into_iter(), "h", 443),
            Err(Error::InvalidHeaderName { .. })
        ));
        // A host header equal to the URL's, in any case and with the default port, is
        // left out; any other host is refused.
        for same in ["H", "h", "h:443", "H:443"] {
            assert_eq!(
                canonical_headers([("Host", same)].into_iter(), "h", 443),
                Ok(Vec::new()),
                "{same}"
            );
        }
        for other in ["other", "h:80", "h:", "x:443", "h:443:443"] {
            assert!(
                matches!(
                    canonical_headers([("Host", other)].into_iter(), "h", 443),
                    Err(Error::HostHeaderMismatch { .. })
                ),
                "{other}"
            );
        }
    }

    #[test]
    fn authentication_headers_are_not_signed() {
        for name in [
            "Authorization",
            "X-Amz-Date",
            "x-amz-security-token",
            "X-Amz-Signature",
        ] {
            assert_eq!(
                canonical_headers([(name, "v")].into_iter(), "h", 443),
                Err(Error::ReservedHeader {
                    name: name.to_ascii_lowercase()
                })
            );
        }
        assert!(
            canonical_headers(
                [("x-amz-content-sha256", "UNSIGNED-PAYLOAD")].into_iter(),
                "h",
                443
            )
            .is_ok()
        );
    }

    #[test]
    fn many_headers_merge_quickly() {
        // 20,000 distinct names: a quadratic merge would compare 200 million pairs.
        let names: Vec<String> = (0..20_000).map(|i| alloc::format!("x-h{i}")).collect();
        let headers = names.iter().map(|n| (n.as_str(), "v"));
        let merged = canonical_headers(headers, "h", 443).unwrap();
        assert_eq!(merged.len(), 20_000);
        assert!(merged.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn headers_are_visited_in_order_with_host() {
        let headers = [
            ("content-type".into(), "t".into()),
            ("x-amz-a".into(), "a".into()),
        ];
        let mut seen = Vec::new();
        for_each_header("example.com", &headers, |n, v| seen.push((n, v)));
        assert_eq!(
            seen,
            [
                ("content-type", "t"),
                ("host", "example.com"),
                ("x-amz-a", "a")
            ]
        );
    }
}
