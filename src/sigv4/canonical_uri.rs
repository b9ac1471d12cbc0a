//! Step 1a: the path, as the URL carries it and as the canonical URI.
//!
//! | | the URL's path | the canonical URI |
//! |---|---|---|
//! | S3 ([`PathEncoding::S3`]) | each segment in canonical form (decoded, encoded once); a `.` or `..` segment escaped | each segment decoded and encoded once, never normalised |
//! | other services ([`PathEncoding::Double`]) | as given, with what a URL cannot carry encoded | normalised, then the URL's path encoded once more |
//!
//! [`PathEncoding::S3`]: crate::PathEncoding::S3
//! [`PathEncoding::Double`]: crate::PathEncoding::Double

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::sigv4::encoding::{self, PATH};
use crate::sigv4::settings::PathEncoding;
use crate::sigv4::target::PathForm;

/// Appends the path as the URL will carry it, and says whether that text is S3's canonical
/// URI as it stands (it is, unless a dot segment had to be escaped).
///
/// Escapes of a wire path must have been checked.
pub(crate) fn push_url_path(
    out: &mut String,
    path: &str,
    form: PathForm,
    encoding: PathEncoding,
    verbatim: bool,
) -> bool {
    match (form, encoding, verbatim) {
        (PathForm::Wire, _, true) => {
            out.push_str(path);
            false
        }
        (PathForm::Wire, PathEncoding::S3, false) => push_s3_path(out, path, true),
        (PathForm::Raw, PathEncoding::S3, _) => push_s3_path(out, path, false),
        (PathForm::Wire, PathEncoding::Double, false) => {
            push_sendable_path(out, path);
            false
        }
        (PathForm::Raw, PathEncoding::Double, _) => {
            encoding::push_encoded(out, path.as_bytes(), PATH);
            false
        }
    }
}

/// Appends the S3 form of `path` (percent-encoded when `wire`, text otherwise): each
/// segment in SigV4's canonical encoding, as S3 computes it, except that a segment that
/// is `.` or `..` is written `%2E` or `%2E%2E` (S3 decodes it back to the key's own `.` or
/// `..`). That keeps it from clients that resolve literal dot segments (RFC 3986
/// reference resolution); parsers that follow the WHATWG URL standard (browsers, the
/// `url` crate) resolve even the escaped form, so keys with such segments need a client
/// that sends the path as it is (curl, hyper). Returns whether no segment was escaped.
fn push_s3_path(out: &mut String, path: &str, wire: bool) -> bool {
    let has_dot_segment = path.contains("/.");
    // Fast path: nothing to decode, encode or escape.
    if !has_dot_segment && encoding::is_plain_path(path.as_bytes()) {
        out.push_str(path);
        return true;
    }
    let mut canonical = true;
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let dots = if wire {
            dot_segment(encoding::Decoded::new(segment, false), segment.len())
        } else {
            dot_segment(segment.bytes(), segment.len())
        };
        match dots {
            Some(escaped) => {
                out.push_str(escaped);
                canonical = false;
            }
            None if wire => encoding::push_canonical(out, segment, false),
            None => encoding::push_encoded(out, segment.as_bytes(), PATH),
        }
    }
    canonical
}

/// `%2E` or `%2E%2E` when `segment` (its bytes, `len` of them before decoding) is `.` or `..`.
fn dot_segment(mut segment: impl Iterator<Item = u8>, len: usize) -> Option<&'static str> {
    if len > 6 {
        return None;
    }
    match (segment.next(), segment.next(), segment.next()) {
        (Some(b'.'), None, _) => Some("%2E"),
        (Some(b'.'), Some(b'.'), None) => Some("%2E%2E"),
        _ => None,
    }
}

/// Feeds the canonical URI of `path` (the URL's path, as [`push_url_path`] wrote it) to
/// `sink`. `canonical` says the S3 path needs no decoding; `normalize` resolves dot
/// segments first (never for S3).
pub(crate) fn write_canonical_uri(
    path: &str,
    encoding: PathEncoding,
    normalize: bool,
    canonical: bool,
    sink: &mut impl FnMut(&[u8]),
) {
    let path = if normalize {
        normalize_path(path)
    } else {
        Cow::Borrowed(path)
    };
    match encoding {
        PathEncoding::S3 if canonical => sink(path.as_bytes()),
        PathEncoding::S3 => write_s3_canonical_path(&path, sink),
        PathEncoding::Double => encoding::for_each_encoded(path.as_bytes(), PATH, &mut *sink),
    }
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
    for (i, segment) in path.split('/').enumerate() {
        // The separator, then the segment's bytes (a decoded `/` among them is encoded).
        let separator = (i > 0).then_some((b'/', true));
        let bytes = encoding::Decoded::new(segment, false).map(|b| (b, encoding::is_unreserved(b)));
        for (b, kept) in separator.into_iter().chain(bytes) {
            // When to flush changes the pieces the sink gets, never the bytes.
            if len + 3 > buffer.len() {
                sink(&buffer[..len]);
                len = 0;
            }
            if kept {
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
fn push_sendable_path(out: &mut String, path: &str) {
    let allowed = |b: u8| encoding::is_unreserved(b) || b"/%!$&'()*+,;=:@".contains(&b);
    if path.bytes().all(allowed) {
        out.push_str(path);
        return;
    }
    for b in path.bytes() {
        if allowed(b) {
            out.push(char::from(b));
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

/// Checks a wire path: escapes must be valid.
pub(crate) fn check_wire_path(path: &str) -> Result<()> {
    if encoding::escapes_are_valid(path.as_bytes()) {
        Ok(())
    } else {
        Err(Error::MalformedUrl {
            reason: encoding::BAD_ESCAPE,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("a/b", "/a/b"),
        ] {
            assert_eq!(normalize_path(input), want, "{input}");
        }
        assert!(matches!(normalize_path("/a/b/"), Cow::Borrowed(_)));
    }

    fn url_path(path: &str, form: PathForm, encoding: PathEncoding) -> (String, bool) {
        let mut s = String::new();
        let canonical = push_url_path(&mut s, path, form, encoding, false);
        (s, canonical)
    }

    fn canonical_uri(path: &str, encoding: PathEncoding, canonical: bool) -> String {
        let mut out = Vec::new();
        write_canonical_uri(path, encoding, false, canonical, &mut |p| {
            out.extend_from_slice(p)
        });
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn s3_paths_encode_each_segment_once() {
        let (s, canonical) = url_path(
            "/my bucket/a%20b/./../c+d/%2f//é~/%2e%2E/%2E/.a/...",
            PathForm::Wire,
            PathEncoding::S3,
        );
        assert_eq!(
            s,
            "/my%20bucket/a%20b/%2E/%2E%2E/c%2Bd/%2F//%C3%A9~/%2E%2E/%2E/.a/..."
        );
        assert!(!canonical);
        let (s, canonical) = url_path("/a b/%2E/é", PathForm::Raw, PathEncoding::S3);
        assert_eq!(s, "/a%20b/%252E/%C3%A9");
        assert!(canonical);
        let (s, canonical) = url_path("/k/../.", PathForm::Raw, PathEncoding::S3);
        assert_eq!((s.as_str(), canonical), ("/k/%2E%2E/%2E", false));
        let (s, canonical) = url_path("/plain/key.txt", PathForm::Raw, PathEncoding::S3);
        assert_eq!((s.as_str(), canonical), ("/plain/key.txt", true));
        let (s, canonical) = url_path("/.a/..b/...", PathForm::Raw, PathEncoding::S3);
        assert_eq!((s.as_str(), canonical), ("/.a/..b/...", true));
    }

    #[test]
    fn other_services_keep_the_path_sendable() {
        let (s, _) = url_path(
            "/a b/ሴ/\\\"{x}/%20/!$&'()*+,;=:@~",
            PathForm::Wire,
            PathEncoding::Double,
        );
        assert_eq!(s, "/a%20b/%E1%88%B4/%5C%22%7Bx%7D/%20/!$&'()*+,;=:@~");
        let (s, _) = url_path("/a b/%", PathForm::Raw, PathEncoding::Double);
        assert_eq!(s, "/a%20b/%25");
        let mut s = String::new();
        assert!(!push_url_path(
            &mut s,
            "/a b",
            PathForm::Wire,
            PathEncoding::S3,
            true
        ));
        assert_eq!(s, "/a b", "verbatim");
    }

    #[test]
    fn s3_canonical_uri_decodes_dot_escapes() {
        assert_eq!(
            canonical_uri("/a/%2E%2E/b/%2E/c", PathEncoding::S3, false),
            "/a/../b/./c"
        );
        assert_eq!(
            canonical_uri("/plain/key.txt", PathEncoding::S3, false),
            "/plain/key.txt"
        );
        assert_eq!(
            canonical_uri("/a%20b/%C3%A9/%2f", PathEncoding::S3, false),
            "/a%20b/%C3%A9/%2F"
        );
        let long = "/%E2%82%AC".repeat(100);
        assert_eq!(canonical_uri(&long, PathEncoding::S3, false), long);
        // Known canonical: passed through.
        assert_eq!(canonical_uri("/a%2fb", PathEncoding::S3, true), "/a%2fb");
        assert_eq!(
            canonical_uri("/a%20b/c", PathEncoding::Double, false),
            "/a%2520b/c"
        );
        let mut normalized = Vec::new();
        write_canonical_uri("/a/./b/../c", PathEncoding::Double, true, false, &mut |p| {
            normalized.extend_from_slice(p)
        });
        assert_eq!(normalized, b"/a/c");
    }

    #[test]
    fn wire_path_escapes() {
        assert_eq!(check_wire_path("/a%20b"), Ok(()));
        assert!(check_wire_path("/a%2").is_err());
        assert!(check_wire_path("/a%zz").is_err());
    }
}
