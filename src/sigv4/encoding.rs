//! Step 0 of the algorithm: SigV4's URI encoding.
//!
//! AWS encodes every byte except the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`
//! as `%XX` with upper-case hex digits. Space is `%20`, never `+`. In a path, `/` is kept.
//!
//! Everything here writes into a caller's `String` (or hasher) so that nothing is built only
//! to be thrown away.

use alloc::string::String;

pub(crate) use percent_encoding::percent_encode_byte;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};

/// Bytes SigV4 encodes in a query name or value, or a path segment: all but unreserved.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Bytes SigV4 encodes in a whole path: as [`UNRESERVED`], but `/` is kept.
pub(crate) const PATH: &AsciiSet = &UNRESERVED.remove(b'/');

/// Message for a `%` not followed by two hex digits.
pub(crate) const BAD_ESCAPE: &str = "invalid percent-escape: `%` must be followed by two hexadecimal digits (write a literal % as %25)";

/// Whether `b` is an RFC 3986 unreserved byte, in arithmetic the compiler can vectorise.
#[inline(always)]
pub(crate) const fn is_unreserved(b: u8) -> bool {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    letter | digit | (b == b'-') | (b == b'.') | (b == b'_') | (b == b'~')
}

/// Whether every byte is unreserved or `/`; a loop without early exit, which the
/// compiler vectorises (paths and keys can be a kilobyte long).
#[inline]
pub(crate) fn is_plain_path(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(true, |plain, &b| plain & (is_unreserved(b) | (b == b'/')))
}

/// Whether every byte is unreserved.
#[inline]
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(true, |plain, &b| plain & is_unreserved(b))
}

/// Appends `bytes`, encoded with `set`, to `out`.
#[inline]
pub(crate) fn push_encoded(out: &mut String, bytes: &[u8], set: &'static AsciiSet) {
    for chunk in percent_encode(bytes, set) {
        out.push_str(chunk);
    }
}

/// Feeds `bytes`, encoded with `set`, to `sink` chunk by chunk (used to hash a path that is
/// encoded a second time without building the encoded string).
#[inline]
pub(crate) fn for_each_encoded(bytes: &[u8], set: &'static AsciiSet, mut sink: impl FnMut(&[u8])) {
    for chunk in percent_encode(bytes, set) {
        sink(chunk.as_bytes());
    }
}

/// Whether every `%` in `s` starts a valid `%XX` escape.
pub(crate) fn escapes_are_valid(s: &[u8]) -> bool {
    // The usual text has no escape at all: one `memchr`.
    if !s.contains(&b'%') {
        return true;
    }
    let mut rest = s;
    while let Some(at) = rest.iter().position(|&b| b == b'%') {
        match rest.get(at + 1..at + 3) {
            Some(digits) if digits.iter().all(u8::is_ascii_hexdigit) => rest = &rest[at + 3..],
            _ => return false,
        }
    }
    true
}

/// Iterator over the bytes of a percent-encoded string.
///
/// Escapes must have been checked with [`escapes_are_valid`]; an invalid escape is passed
/// through as it stands (never a panic). With `plus_is_space`, `+` decodes to a space, as in
/// `application/x-www-form-urlencoded` query strings.
#[derive(Clone)]
pub(crate) struct Decoded<'a> {
    bytes: &'a [u8],
    plus_is_space: bool,
}

impl<'a> Decoded<'a> {
    pub(crate) fn new(s: &'a str, plus_is_space: bool) -> Self {
        Self {
            bytes: s.as_bytes(),
            plus_is_space,
        }
    }
}

impl Iterator for Decoded<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let (&first, rest) = self.bytes.split_first()?;
        match first {
            b'%' => match rest {
                [h, l, tail @ ..] => match (hex_value(*h), hex_value(*l)) {
                    (Some(h), Some(l)) => {
                        self.bytes = tail;
                        Some(h << 4 | l)
                    }
                    _ => {
                        self.bytes = rest;
                        Some(b'%')
                    }
                },
                _ => {
                    self.bytes = rest;
                    Some(b'%')
                }
            },
            b'+' if self.plus_is_space => {
                self.bytes = rest;
                Some(b' ')
            }
            b => {
                self.bytes = rest;
                Some(b)
            }
        }
    }
}

#[inline]
pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Appends `wire` (percent-encoded, escapes already checked) to `out` in SigV4's canonical
/// encoding: decoded, then every byte but the unreserved ones encoded. An already encoded
/// input is thus never encoded twice, and `%7e` becomes `~`, `%2f` becomes `%2F`.
pub(crate) fn push_canonical(out: &mut String, wire: &str, plus_is_space: bool) {
    // Fast path: nothing to decode or encode.
    if is_plain(wire.as_bytes()) {
        out.push_str(wire);
        return;
    }
    for b in Decoded::new(wire, plus_is_space) {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(percent_encode_byte(b));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str, plus: bool) -> String {
        let mut out = String::new();
        push_canonical(&mut out, s, plus);
        out
    }

    #[test]
    fn encodes_all_but_unreserved() {
        let mut out = String::new();
        push_encoded(&mut out, "a b+c/~é".as_bytes(), UNRESERVED);
        assert_eq!(out, "a%20b%2Bc%2F~%C3%A9");
        out.clear();
        push_encoded(&mut out, "/a b/".as_bytes(), PATH);
        assert_eq!(out, "/a%20b/");
    }

    #[test]
    fn canonical_never_double_encodes() {
        assert_eq!(canon("%E1%88%B4", false), "%E1%88%B4");
        assert_eq!(canon("%e1%88%b4", false), "%E1%88%B4");
        assert_eq!(canon("%7e%41", false), "~A");
        assert_eq!(canon("a+b", true), "a%20b");
        assert_eq!(canon("a+b", false), "a%2Bb");
        assert_eq!(canon("a%2Bb", true), "a%2Bb");
        assert_eq!(canon("ሴ", false), "%E1%88%B4");
    }

    #[test]
    fn unreserved_arithmetic_matches_rfc3986() {
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || b"-._~".contains(&b);
            assert_eq!(is_unreserved(b), expected, "{b}");
            assert_eq!(is_plain_path(&[b]), expected || b == b'/', "{b}");
        }
    }

    #[test]
    fn escape_check() {
        assert!(escapes_are_valid(b"a%20b%7e"));
        assert!(!escapes_are_valid(b"%"));
        assert!(!escapes_are_valid(b"%2"));
        assert!(!escapes_are_valid(b"%zz"));
        assert!(!escapes_are_valid(b"ab%2"));
        assert!(escapes_are_valid(b""));
    }
}
