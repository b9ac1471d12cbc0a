//! Step 1b: the canonical query string.
//!
//! Every parameter (from the URL's query, added raw by the caller, or added by the signer)
//! is encoded with SigV4's rules, and the parameters are sorted by encoded name, then by
//! encoded value. The signer writes the result straight into the URL it emits, so the URL
//! carries exactly the query that was signed; the verifier rebuilds it from what arrived.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::error::{Error, Result};
use crate::sigv4::auth_query::{AuthQuery, QueryLandmarks};
use crate::sigv4::encoding::{self, Decoded, UNRESERVED};
use crate::sigv4::params::{AUTH_PARAMETERS, AuthParam, SIGNED_AUTH_PARAMS};

/// The canonical query string: the query the URL carries, with a session token that the URL
/// lists last put back in its sorted place; or, for a received request, its parameters
/// sorted.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CanonicalQuery<'a> {
    /// Text that is canonical as it stands, with `moved` (`X-Amz-Security-Token=VALUE` and
    /// the offset in `text` where it sorts) to put back.
    Text {
        text: &'a str,
        moved: Option<(&'a str, usize)>,
    },
    /// Parameters in canonical order, encoded as they are written.
    Sorted(&'a [Piece<'a>]),
}

impl<'a> CanonicalQuery<'a> {
    /// A query whose text is canonical as it stands.
    pub(crate) fn new(text: &'a str) -> Self {
        Self::Text { text, moved: None }
    }

    /// `text` with `piece` inserted at `at` (the start of a parameter, or the end).
    pub(crate) fn with_piece_at(text: &'a str, piece: &'a str, at: usize) -> Self {
        Self::Text {
            text,
            moved: Some((piece, at)),
        }
    }

    /// Its length in bytes (for parameters, a capacity hint: their length as received).
    pub(crate) fn len(&self) -> usize {
        match *self {
            Self::Text { text, moved } => {
                let separator = usize::from(!text.is_empty());
                text.len() + moved.map_or(0, |(piece, _)| piece.len() + separator)
            }
            Self::Sorted(pieces) => pieces.iter().map(|p| p.wire_len() + 1).sum(),
        }
    }

    /// Feeds the canonical query to `sink`.
    pub(crate) fn write(&self, sink: &mut impl FnMut(&[u8])) {
        let (text, (piece, at)) = match *self {
            Self::Text {
                text,
                moved: Some(moved),
            } => (text, moved),
            Self::Text { text, moved: None } => {
                sink(text.as_bytes());
                return;
            }
            Self::Sorted(pieces) => {
                for (i, piece) in pieces.iter().enumerate() {
                    if i > 0 {
                        sink(b"&");
                    }
                    piece.stream(sink);
                }
                return;
            }
        };
        let (before, after) = text.split_at(at.min(text.len()));
        sink(before.as_bytes());
        if after.is_empty() {
            if !before.is_empty() {
                sink(b"&");
            }
            sink(piece.as_bytes());
        } else {
            sink(piece.as_bytes());
            sink(b"&");
            sink(after.as_bytes());
        }
    }
}

/// One query parameter of the canonical query.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'a> {
    /// From the URL's query: percent-encoded, `+` a space; decoded, then encoded.
    Wire { name: &'a str, value: &'a str },
    /// From a received query, already in canonical encoding: written as it stands.
    Canonical { name: &'a str, value: &'a str },
    /// Added with `PresignRequest::query`: raw text, encoded.
    Raw { name: &'a str, value: &'a str },
    /// Added by the signer.
    Auth(AuthParam),
}

impl<'a> Piece<'a> {
    /// The name, as received or given.
    pub(crate) fn name(&self) -> &'a str {
        match *self {
            Piece::Wire { name, .. } | Piece::Canonical { name, .. } | Piece::Raw { name, .. } => {
                name
            }
            Piece::Auth(p) => p.name(),
        }
    }

    fn wire_len(&self) -> usize {
        match *self {
            Piece::Wire { name, value }
            | Piece::Canonical { name, value }
            | Piece::Raw { name, value } => name.len() + 1 + value.len(),
            Piece::Auth(p) => p.name().len() + 1,
        }
    }

    fn name_bytes(&self) -> CanonicalBytes<'_> {
        match *self {
            Piece::Wire { name, .. } => CanonicalBytes::decoded(name),
            Piece::Canonical { name, .. } => CanonicalBytes::verbatim(name),
            Piece::Raw { name, .. } => CanonicalBytes::raw(name),
            // Auth names are all unreserved characters: their encoding is themselves.
            Piece::Auth(p) => CanonicalBytes::raw(p.name()),
        }
    }

    fn value_bytes(&self) -> CanonicalBytes<'_> {
        match *self {
            Piece::Wire { value, .. } => CanonicalBytes::decoded(value),
            Piece::Canonical { value, .. } => CanonicalBytes::verbatim(value),
            Piece::Raw { value, .. } => CanonicalBytes::raw(value),
            // Never compared: no other parameter may share an auth parameter's name.
            Piece::Auth(_) => CanonicalBytes::raw(""),
        }
    }

    /// Feeds `NAME=VALUE`, encoded, to `sink` (an auth parameter's name only).
    fn stream(&self, sink: &mut impl FnMut(&[u8])) {
        if let Piece::Canonical { name, value } = *self {
            sink(name.as_bytes());
            sink(b"=");
            sink(value.as_bytes());
            return;
        }
        let mut buffer = [0u8; 64];
        let mut filled = 0;
        let bytes = self
            .name_bytes()
            .chain(core::iter::once(b'='))
            .chain(self.value_bytes());
        for b in bytes {
            buffer[filled] = b;
            filled += 1;
            if filled == buffer.len() {
                sink(&buffer);
                filled = 0;
            }
        }
        sink(&buffer[..filled]);
    }

    fn write(&self, out: &mut String, auth: Option<&AuthQuery<'_>>) {
        match *self {
            Piece::Canonical { name, value } => {
                out.push_str(name);
                out.push('=');
                out.push_str(value);
            }
            Piece::Wire { name, value } => {
                encoding::push_canonical(out, name, true);
                out.push('=');
                encoding::push_canonical(out, value, true);
            }
            Piece::Raw { name, value } => {
                encoding::push_encoded(out, name.as_bytes(), UNRESERVED);
                out.push('=');
                encoding::push_encoded(out, value.as_bytes(), UNRESERVED);
            }
            Piece::Auth(param) => {
                out.push_str(param.name());
                out.push('=');
                if let Some(auth) = auth {
                    auth.write(param, out);
                }
            }
        }
    }
}

/// Canonical query order: by encoded name, then by encoded value.
fn compare_pieces(a: &Piece<'_>, b: &Piece<'_>) -> Ordering {
    if let (
        Piece::Canonical {
            name: a_name,
            value: a_value,
        },
        Piece::Canonical {
            name: b_name,
            value: b_value,
        },
    ) = (a, b)
    {
        return a_name.cmp(b_name).then_with(|| a_value.cmp(b_value));
    }
    a.name_bytes()
        .cmp(b.name_bytes())
        .then_with(|| a.value_bytes().cmp(b.value_bytes()))
}

/// The bytes of a name or value in its canonical encoding, produced one at a time so that
/// parameters are sorted without encoding them into a buffer first.
struct CanonicalBytes<'a> {
    source: Source<'a>,
    /// The hex digits of an escape begun with `%`, still to come.
    pending: &'static [u8],
}

enum Source<'a> {
    /// Canonical already: passed through.
    Verbatim(core::slice::Iter<'a, u8>),
    Decoded(Decoded<'a>),
    Raw(core::slice::Iter<'a, u8>),
}

impl<'a> CanonicalBytes<'a> {
    fn decoded(wire: &'a str) -> Self {
        Self {
            source: Source::Decoded(Decoded::new(wire, true)),
            pending: &[],
        }
    }

    fn verbatim(text: &'a str) -> Self {
        Self {
            source: Source::Verbatim(text.as_bytes().iter()),
            pending: &[],
        }
    }

    fn raw(text: &'a str) -> Self {
        Self {
            source: Source::Raw(text.as_bytes().iter()),
            pending: &[],
        }
    }
}

impl Iterator for CanonicalBytes<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        if let Some((&digit, rest)) = self.pending.split_first() {
            self.pending = rest;
            return Some(digit);
        }
        let b = match &mut self.source {
            Source::Verbatim(v) => return v.next().copied(),
            Source::Decoded(d) => d.next()?,
            Source::Raw(r) => *r.next()?,
        };
        if encoding::is_unreserved(b) {
            return Some(b);
        }
        let (&percent, digits) = encoding::percent_encode_byte(b).as_bytes().split_first()?;
        self.pending = digits;
        Some(percent)
    }
}

/// Splits the URL's query and the raw parameters into pieces, checking each, and adds the
/// signer's parameters (the session token when it is signed in place).
pub(crate) fn collect_pieces<'a>(
    url_query: &'a str,
    raw: &'a [(Cow<'_, str>, Cow<'_, str>)],
    token_in_place: Option<AuthParam>,
) -> Result<Vec<Piece<'a>>> {
    let wire = url_query.split('&').filter(|p| !p.is_empty());
    let mut pieces =
        Vec::with_capacity(wire.clone().count() + raw.len() + SIGNED_AUTH_PARAMS.len());
    for pair in wire {
        if !encoding::escapes_are_valid(pair.as_bytes()) {
            return Err(Error::MalformedUrl {
                reason: encoding::BAD_ESCAPE,
            });
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        check_not_reserved(Decoded::new(name, true), name)?;
        pieces.push(Piece::Wire { name, value });
    }
    for (name, value) in raw {
        check_not_reserved(name.bytes(), name)?;
        pieces.push(Piece::Raw { name, value });
    }
    for param in SIGNED_AUTH_PARAMS {
        if param != AuthParam::SecurityToken {
            pieces.push(Piece::Auth(param));
        }
    }
    pieces.extend(token_in_place.map(Piece::Auth));
    Ok(pieces)
}

/// Refuses a parameter whose (decoded) name is an auth parameter's, in any case.
fn check_not_reserved(decoded_name: impl Iterator<Item = u8> + Clone, shown: &str) -> Result<()> {
    let is_reserved = AUTH_PARAMETERS.iter().any(|reserved| {
        let mut it = decoded_name.clone();
        reserved
            .bytes()
            .all(|r| it.next().is_some_and(|b| b.eq_ignore_ascii_case(&r)))
            && it.next().is_none()
    });
    if is_reserved {
        Err(Error::AuthParameterPresent { name: shown.into() })
    } else {
        Ok(())
    }
}

/// Sorts `pieces` and writes them joined by `&`: the canonical query string (without
/// `left_out`, whose place is noted).
pub(crate) fn write_sorted(
    pieces: &mut [Piece<'_>],
    out: &mut String,
    auth: Option<&AuthQuery<'_>>,
    left_out: Option<Piece<'_>>,
) -> QueryLandmarks {
    pieces.sort_unstable_by(compare_pieces);
    let mut landmarks = QueryLandmarks::default();
    let mut left_out = left_out;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        if left_out
            .as_ref()
            .is_some_and(|moved| compare_pieces(moved, piece) == Ordering::Less)
        {
            landmarks.left_out_at = out.len();
            left_out = None;
        }
        if let Piece::Auth(AuthParam::Credential) = piece {
            landmarks.credential_at = out.len() + AuthParam::Credential.name().len() + 1;
        }
        piece.write(out, auth);
    }
    if left_out.is_some() {
        landmarks.left_out_at = out.len();
    }
    landmarks
}

/// Sorts the parameters of a received query into canonical order (escapes checked).
pub(crate) fn sort_received(pieces: &mut [Piece<'_>]) {
    pieces.sort_unstable_by(compare_pieces);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The canonical query of `query` as received, without the parameters `skip` names.
    fn canonical_query_of_wire(query: &str, skip: impl Fn(&str) -> bool) -> String {
        let mut pieces: Vec<Piece<'_>> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .filter(|(name, _)| !skip(name))
            .map(|(name, value)| {
                let canonical = |text: &str| {
                    let mut out = String::new();
                    encoding::push_canonical(&mut out, text, true);
                    out == text
                };
                if canonical(name) && canonical(value) {
                    Piece::Canonical { name, value }
                } else {
                    Piece::Wire { name, value }
                }
            })
            .collect();
        sort_received(&mut pieces);
        let query = CanonicalQuery::Sorted(&pieces);
        let mut out = Vec::new();
        query.write(&mut |piece| out.extend_from_slice(piece));
        String::from_utf8(out).unwrap()
    }

    fn written(query: CanonicalQuery<'_>) -> String {
        let mut out = Vec::new();
        query.write(&mut |p| out.extend_from_slice(p));
        assert_eq!(out.len(), query.len());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_moved_piece_is_written_in_its_place() {
        assert_eq!(written(CanonicalQuery::new("a=1&c=3")), "a=1&c=3");
        assert_eq!(
            written(CanonicalQuery::with_piece_at("a=1&c=3", "b=2", 4)),
            "a=1&b=2&c=3"
        );
        assert_eq!(
            written(CanonicalQuery::with_piece_at("b=2&c=3", "a=1", 0)),
            "a=1&b=2&c=3"
        );
        assert_eq!(
            written(CanonicalQuery::with_piece_at("a=1&b=2", "c=3", 7)),
            "a=1&b=2&c=3"
        );
        assert_eq!(written(CanonicalQuery::with_piece_at("", "a=1", 0)), "a=1");
    }

    #[test]
    fn wire_queries_sort_by_encoded_name_then_value() {
        assert_eq!(
            canonical_query_of_wire("b=2&a=2&a=1&%61=0&c+d=%7e&e&&X-Amz-Signature=x", |n| {
                n == "X-Amz-Signature"
            }),
            "a=0&a=1&a=2&b=2&c%20d=~&e="
        );
        // Upper-case letters sort before lower-case ones; `%2B` is a literal plus.
        assert_eq!(
            canonical_query_of_wire("b=1&B=2&a%2Bb=3", |_| false),
            "B=2&a%2Bb=3&b=1"
        );
    }

    #[test]
    fn landmarks_of_a_sorted_query() {
        let mut pieces = [
            Piece::Wire {
                name: "b",
                value: "1",
            },
            Piece::Auth(AuthParam::Credential),
            Piece::Raw {
                name: "a",
                value: "2",
            },
            Piece::Auth(AuthParam::SignedHeaders),
        ];
        let mut out = String::from("https://h/?");
        let start = out.len();
        let landmarks = write_sorted(
            &mut pieces,
            &mut out,
            None,
            Some(Piece::Auth(AuthParam::SecurityToken)),
        );
        assert_eq!(
            &out[start..],
            "X-Amz-Credential=&X-Amz-SignedHeaders=&a=2&b=1"
        );
        assert_eq!(landmarks.credential_at, start + "X-Amz-Credential=".len());
        assert_eq!(
            &out[landmarks.left_out_at..],
            "X-Amz-SignedHeaders=&a=2&b=1"
        );
        let mut last = [Piece::Wire {
            name: "A",
            value: "1",
        }];
        let mut out = String::new();
        let landmarks = write_sorted(
            &mut last,
            &mut out,
            None,
            Some(Piece::Raw {
                name: "B",
                value: "",
            }),
        );
        assert_eq!(landmarks.left_out_at, out.len(), "sorts last");
    }

    #[test]
    fn canonical_bytes_encode_as_the_writer_does() {
        for text in ["a b", "é", "~-._", "%", "A+b", ""] {
            let mut written = String::new();
            encoding::push_encoded(&mut written, text.as_bytes(), UNRESERVED);
            let bytes: Vec<u8> = CanonicalBytes::raw(text).collect();
            assert_eq!(bytes, written.as_bytes(), "{text:?}");
            let decoded: Vec<u8> = CanonicalBytes::decoded(&written).collect();
            assert_eq!(decoded, written.as_bytes(), "{text:?}");
        }
    }

    #[test]
    fn reserved_names_in_any_case_or_encoding() {
        let raw: [(Cow<'_, str>, Cow<'_, str>); 0] = [];
        for query in [
            "X-Amz-Signature=1",
            "x-amz-date=1",
            "X-Amz-Security-Toke%6E=1",
            "a=1&X-AMZ-CREDENTIAL",
        ] {
            assert!(
                matches!(
                    collect_pieces(query, &raw, Some(AuthParam::SecurityToken)),
                    Err(Error::AuthParameterPresent { .. })
                ),
                "{query}"
            );
        }
        let token = Some(AuthParam::SecurityToken);
        assert!(collect_pieces("X-Amz-Signatures=1&X-Amz-Dat=2", &raw, token).is_ok());
        let pieces = collect_pieces("a=1", &raw, None).unwrap();
        assert_eq!(pieces.len(), 1 + 5, "the token is not signed in place");
        let pieces = collect_pieces("a=1", &raw, Some(AuthParam::S3SessionToken)).unwrap();
        assert_eq!(pieces.len(), 1 + 6);
        assert_eq!(pieces[6].name(), "X-Amz-S3session-Token");
        for reserved in ["X-Amz-S3session-Token=1", "X-Amz-Region-Set=*"] {
            assert!(collect_pieces(reserved, &raw, None).is_err(), "{reserved}");
        }
        assert!(
            collect_pieces("a=%zz", &raw, token).is_err(),
            "escapes are checked"
        );
    }
}
