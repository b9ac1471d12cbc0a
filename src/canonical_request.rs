//! Step 1 of the algorithm: the canonical request.
//!
//! ```text
//! HTTPMethod            GET
//! CanonicalURI          /test.txt
//! CanonicalQueryString  X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-SignedHeaders=host
//! CanonicalHeaders      host:examplebucket.s3.amazonaws.com\n
//! SignedHeaders         host
//! HashedPayload         UNSIGNED-PAYLOAD
//! ```
//!
//! The lines are joined with `\n`. The request is never built as a string to be hashed:
//! [`CanonicalRequest::write`] feeds its pieces to a sink, which is the SHA-256 hasher on the
//! signing path and a `String` only when a user asks to see it.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::encoding::{self, PATH};
use crate::error::{Error, Result};
use crate::settings::PathEncoding;

/// Everything the canonical request is made of, borrowed from the URL being built.
pub(crate) struct CanonicalRequest<'a> {
    pub(crate) method: &'a str,
    /// The path as it stands in the emitted URL.
    pub(crate) path: &'a str,
    pub(crate) path_encoding: PathEncoding,
    pub(crate) normalize_path: bool,
    /// The canonical query string (also the query of the emitted URL).
    pub(crate) query: &'a str,
    /// The canonical value of the host header.
    pub(crate) host: &'a str,
    /// The other signed headers: canonical, sorted by name, one entry per name.
    pub(crate) headers: &'a [(String, String)],
    pub(crate) payload_hash: &'a str,
}

impl CanonicalRequest<'_> {
    /// Feeds the canonical request to `sink`, piece by piece.
    pub(crate) fn write(&self, sink: &mut impl FnMut(&[u8])) {
        sink(self.method.as_bytes());
        sink(b"\n");
        let path = if self.normalize_path {
            normalize_path(self.path)
        } else {
            Cow::Borrowed(self.path)
        };
        match self.path_encoding {
            PathEncoding::S3 => write_s3_canonical_path(&path, sink),
            PathEncoding::Double => encoding::for_each_encoded(path.as_bytes(), PATH, &mut *sink),
        }
        sink(b"\n");
        sink(self.query.as_bytes());
        if self.headers.is_empty() {
            // Only `host`: the usual presigned URL, in four pieces.
            sink(b"\nhost:");
            sink(self.host.as_bytes());
            sink(b"\n\nhost\n");
            sink(self.payload_hash.as_bytes());
            return;
        }
        sink(b"\n");
        for_each_header(self.host, self.headers, |name, value| {
            sink(name.as_bytes());
            sink(b":");
            sink(value.as_bytes());
            sink(b"\n");
        });
        sink(b"\n");
        let mut first = true;
        for_each_header(self.host, self.headers, |name, _| {
            if !first {
                sink(b";");
            }
            first = false;
            sink(name.as_bytes());
        });
        sink(b"\n");
        sink(self.payload_hash.as_bytes());
    }

    /// The canonical request as text.
    pub(crate) fn to_text(&self) -> String {
        let mut bytes = Vec::with_capacity(256 + self.query.len());
        self.write(&mut |piece| bytes.extend_from_slice(piece));
        // Every piece is UTF-8: a `&str` or percent-encoded ASCII.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Calls `f` for every signed header, `host` included, in sorted order.
pub(crate) fn for_each_header<'h>(
    host: &'h str,
    headers: &'h [(String, String)],
    mut f: impl FnMut(&'h str, &'h str),
) {
    let split = headers.partition_point(|(name, _)| name.as_str() < "host");
    for (name, value) in &headers[..split] {
        f(name, value);
    }
    f("host", host);
    for (name, value) in &headers[split..] {
        f(name, value);
    }
}

/// Appends the S3 form of `wire_path` for the URL: each segment decoded and encoded once,
/// as in S3's canonical form, except that a segment that decodes to `.` or `..` is written
/// `%2E` or `%2E%2E` (S3 decodes it back to the key's own `.` or `..`). That keeps it from
/// clients that resolve literal dot segments (RFC 3986 reference resolution); parsers that
/// follow the WHATWG URL standard (browsers, the `url` crate) resolve even the escaped
/// form, so keys with such segments need a client that sends the path as it is (curl,
/// hyper). Escapes must have been checked.
pub(crate) fn push_s3_path(out: &mut String, wire_path: &str) {
    // Fast path: nothing to decode, encode or escape.
    if encoding::is_plain_path(wire_path.as_bytes()) && !wire_path.contains("/.") {
        out.push_str(wire_path);
        return;
    }
    let mut first = true;
    for segment in wire_path.split('/') {
        if !first {
            out.push('/');
        }
        first = false;
        if decodes_to(segment, b".") {
            out.push_str("%2E");
        } else if decodes_to(segment, b"..") {
            out.push_str("%2E%2E");
        } else {
            encoding::push_canonical(out, segment, false);
        }
    }
}

fn decodes_to(segment: &str, text: &[u8]) -> bool {
    segment.len() <= 6 && encoding::Decoded::new(segment, false).eq(text.iter().copied())
}

/// Feeds S3's canonical URI for `path` to `sink`: each segment decoded and encoded once.
fn write_s3_canonical_path(path: &str, sink: &mut impl FnMut(&[u8])) {
    // Without escapes, a path the crate emitted is already canonical.
    if encoding::is_plain_path(path.as_bytes()) {
        sink(path.as_bytes());
        return;
    }
    let mut buffer = [0u8; 96];
    let mut len = 0;
    macro_rules! make_room {
        () => {
            if len + 3 > buffer.len() {
                sink(&buffer[..len]);
                len = 0;
            }
        };
    }
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            make_room!();
            buffer[len] = b'/';
            len += 1;
        }
        for b in encoding::Decoded::new(segment, false) {
            make_room!();
            if encoding::is_unreserved(b) {
                buffer[len] = b;
                len += 1;
            } else {
                buffer[len..len + 3].copy_from_slice(encoding::percent_encode_byte(b).as_bytes());
                len += 3;
            }
        }
    }
    sink(&buffer[..len]);
}

/// Appends `path` in a form every URL library sends unchanged: `%XX` escapes, `/` and the
/// characters RFC 3986 allows in a path are kept; any other byte (a space, a non-ASCII
/// byte, `"`, `\`, `{`, …) is percent-encoded. Escapes must have been checked.
pub(crate) fn push_wire_path(out: &mut String, path: &str) {
    let allowed = |b: u8| {
        encoding::is_unreserved(b)
            || matches!(
                b,
                b'/' | b'%'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            )
    };
    if path.bytes().all(allowed) {
        out.push_str(path);
        return;
    }
    for b in path.bytes() {
        if allowed(b) {
            out.push(b as char);
        } else {
            out.push_str(encoding::percent_encode_byte(b));
        }
    }
}

/// Resolves `.` and `..` segments and merges empty ones (RFC 3986 section 5.2.4, as SigV4
/// does for every service but S3). A trailing `/` survives; the result starts with `/`.
pub(crate) fn normalize_path(path: &str) -> Cow<'_, str> {
    let mut segments = path.split('/');
    let mut clean = segments.next() == Some("");
    let mut previous_empty = false;
    for segment in segments {
        if previous_empty || segment == "." || segment == ".." {
            clean = false;
            break;
        }
        previous_empty = segment.is_empty();
    }
    if clean {
        return Cow::Borrowed(path);
    }
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            s => kept.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut out = String::with_capacity(path.len());
    for segment in &kept {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() || trailing {
        out.push('/');
    }
    Cow::Owned(out)
}

/// Checks a path from a URL: escapes must be valid.
pub(crate) fn check_path(path: &str) -> Result<()> {
    if encoding::escapes_are_valid(path.as_bytes()) {
        Ok(())
    } else {
        Err(Error::MalformedUrl {
            reason: encoding::BAD_ESCAPE,
        })
    }
}

/// Whether `name` is an HTTP token (RFC 9110 `tchar`s).
pub(crate) fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

/// Appends the canonical form of a header value: trimmed, every run of spaces and tabs
/// (and folded line breaks) collapsed into one space.
///
/// A line break is allowed only as an obsolete line fold: CRLF or LF followed by at least
/// one space or tab. Any other CR, LF or control character (but tab) is refused.
pub(crate) fn push_header_value(out: &mut String, name: &str, value: &str) -> Result<()> {
    let bytes = value.as_bytes();
    let bad = |reason| Error::InvalidHeaderValue {
        name: name.into(),
        reason,
    };
    let mut pending_space = false;
    let mut wrote = false;
    let mut i = 0;
    let mut run_start = 0;
    // Copies the bytes of `value[run_start..end]`, which hold no whitespace or controls.
    let flush =
        |out: &mut String, start: usize, end: usize, pending: &mut bool, wrote: &mut bool| {
            if start < end {
                if *pending && *wrote {
                    out.push(' ');
                }
                *pending = false;
                *wrote = true;
                out.push_str(&value[start..end]);
            }
        };
    while i < bytes.len() {
        let b = bytes[i];
        let line_break_len = match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
            b'\r' => {
                return Err(bad(
                    "a carriage return (CR) that does not start a folded line",
                ));
            }
            b'\n' => 1,
            _ => 0,
        };
        if line_break_len > 0 {
            if !matches!(bytes.get(i + line_break_len), Some(b' ' | b'\t')) {
                return Err(bad(
                    "a line break (CR or LF) that is not followed by a space or tab",
                ));
            }
            flush(out, run_start, i, &mut pending_space, &mut wrote);
            pending_space = true;
            i += line_break_len;
            run_start = i;
            continue;
        }
        if b == b' ' || b == b'\t' {
            flush(out, run_start, i, &mut pending_space, &mut wrote);
            pending_space = true;
            i += 1;
            run_start = i;
            continue;
        }
        if b < b' ' || b == 0x7f {
            return Err(bad("a control character"));
        }
        i += 1;
    }
    flush(out, run_start, bytes.len(), &mut pending_space, &mut wrote);
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
) -> Result<Vec<(String, String)>> {
    merge_headers(headers, |given| {
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
    })
}

/// The merging and sorting of [`canonical_headers`]; every `host` value is handed to
/// `on_host` instead of being kept.
pub(crate) fn merge_headers<'h>(
    headers: impl ExactSizeIterator<Item = (&'h str, &'h str)>,
    mut on_host: impl FnMut(String) -> Result<()>,
) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        if !is_token(name) {
            return Err(Error::InvalidHeaderName { name: name.into() });
        }
        let lower = name.to_ascii_lowercase();
        let mut canonical = String::with_capacity(value.len());
        push_header_value(&mut canonical, &lower, value)?;
        if lower == "host" {
            on_host(canonical)?;
            continue;
        }
        match out.iter_mut().find(|(n, _)| *n == lower) {
            Some((_, joined)) => {
                joined.push(',');
                joined.push_str(&canonical);
            }
            None => out.push((lower, canonical)),
        }
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: &str) -> Result<String> {
        let mut s = String::new();
        push_header_value(&mut s, "x", v).map(|()| s)
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        assert_eq!(value("  value1 ").unwrap(), "value1");
        assert_eq!(value("\"a   b   c\"").unwrap(), "\"a b c\"");
        assert_eq!(value("a\t \tb").unwrap(), "a b");
        assert_eq!(
            value("value1\n  value2\n     value3").unwrap(),
            "value1 value2 value3"
        );
        assert_eq!(value("value1\r\n\tvalue2").unwrap(), "value1 value2");
        assert_eq!(value("").unwrap(), "");
        assert_eq!(value("   ").unwrap(), "");
    }

    #[test]
    fn header_values_refuse_bare_line_breaks() {
        for v in ["a\nb", "a\r\nb", "a\rb", "a\r b", "a\n", "a\0b", "a\x7fb"] {
            assert!(
                matches!(value(v), Err(Error::InvalidHeaderValue { .. })),
                "{v:?} accepted"
            );
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
            ]
            .into_iter(),
            "h",
            443,
        )
        .unwrap();
        let names: Vec<_> = h.iter().map(|(n, v)| alloc::format!("{n}:{v}")).collect();
        assert_eq!(
            names,
            ["content-type:a", "my-header1:value4,value1", "x-b:1"]
        );
        assert!(matches!(
            canonical_headers([("Bad Name", "v")].into_iter(), "h", 443),
            Err(Error::InvalidHeaderName { .. })
        ));
        assert!(
            canonical_headers([("Host", "H")].into_iter(), "h", 443)
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            canonical_headers([("Host", "other")].into_iter(), "h", 443),
            Err(Error::HostHeaderMismatch { .. })
        ));
    }

    #[test]
    fn normalization() {
        for (input, want) in [
            ("/", "/"),
            ("/a/b", "/a/b"),
            ("/a/b/", "/a/b/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/./", "/"),
            ("//", "/"),
            ("/./example", "/example"),
            ("//example//", "/example/"),
            ("/a/b/..", "/a/"),
            ("/a/./b", "/a/b"),
            ("/../a", "/a"),
        ] {
            assert_eq!(normalize_path(input), want, "{input}");
        }
        assert!(matches!(normalize_path("/a/b/"), Cow::Borrowed(_)));
    }

    #[test]
    fn s3_paths_encode_each_segment_once() {
        let mut s = String::new();
        push_s3_path(
            &mut s,
            "/my bucket/a%20b/./../c+d/%2f//é~/%2e%2E/%2E/.a/...",
        );
        assert_eq!(
            s,
            "/my%20bucket/a%20b/%2E/%2E%2E/c%2Bd/%2F//%C3%A9~/%2E%2E/%2E/.a/..."
        );
    }

    fn canonical_s3(path: &str) -> String {
        let mut out = Vec::new();
        write_s3_canonical_path(path, &mut |p| out.extend_from_slice(p));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn s3_canonical_path_decodes_dot_escapes() {
        assert_eq!(canonical_s3("/a/%2E%2E/b/%2E/c"), "/a/../b/./c");
        assert_eq!(canonical_s3("/plain/key.txt"), "/plain/key.txt");
        assert_eq!(canonical_s3("/a%20b/%C3%A9"), "/a%20b/%C3%A9");
        let long = "/%E2%82%AC".repeat(100);
        assert_eq!(canonical_s3(&long), long);
    }

    #[test]
    fn wire_paths_are_sendable() {
        let mut s = String::new();
        push_wire_path(&mut s, "/a b/ሴ/\\\"{x}/%20/!$&'()*+,;=:@~");
        assert_eq!(s, "/a%20b/%E1%88%B4/%5C%22%7Bx%7D/%20/!$&'()*+,;=:@~");
    }
}
