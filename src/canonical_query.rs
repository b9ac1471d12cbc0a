//! Step 1b: the canonical query string.
//!
//! Every parameter (from the URL's query, added raw by the caller, or added by the signer)
//! is encoded with SigV4's rules, and the parameters are sorted by encoded name, then by
//! encoded value. The signer writes the result straight into the URL it emits, so the URL
//! carries exactly the query that was signed; the verifier rebuilds it from what arrived.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::ops::Range;

use crate::amz_date::AmzDate;
use crate::canonical_request::for_each_header;
use crate::encoding::{self, Decoded, UNRESERVED};
use crate::error::{Error, Result};
use crate::string_to_sign::ALGORITHM;
use crate::url::push_u64;

/// The query parameters the signer adds, in canonical (sorted) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthParam {
    Algorithm,
    Credential,
    Date,
    Expires,
    SecurityToken,
    SignedHeaders,
}

pub(crate) const AUTH_PARAMS: [AuthParam; 6] = [
    AuthParam::Algorithm,
    AuthParam::Credential,
    AuthParam::Date,
    AuthParam::Expires,
    AuthParam::SecurityToken,
    AuthParam::SignedHeaders,
];

/// Names a request may not carry itself (compared without regard to case).
pub(crate) const RESERVED_PARAMS: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-Security-Token",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
];

impl AuthParam {
    fn name(self) -> &'static str {
        match self {
            AuthParam::Algorithm => "X-Amz-Algorithm",
            AuthParam::Credential => "X-Amz-Credential",
            AuthParam::Date => "X-Amz-Date",
            AuthParam::Expires => "X-Amz-Expires",
            AuthParam::SecurityToken => "X-Amz-Security-Token",
            AuthParam::SignedHeaders => "X-Amz-SignedHeaders",
        }
    }
}

/// The auth query's fixed text around the scope date, made once per presigner in one
/// allocation:
/// `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=KEY%2F` before the date, and
/// `%2FREGION%2FSERVICE%2Faws4_request&X-Amz-Date=` after it. The region and service are
/// read from it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthText {
    text: Box<str>,
    date_at: usize,
    region: Range<usize>,
    service: Range<usize>,
}

const HEAD: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=";
const DATE_PARAM: &str = "&X-Amz-Date=";

impl AuthText {
    /// The text for `access_key_id` and the scope's region and service (unreserved
    /// characters, checked by the caller).
    pub(crate) fn new(access_key_id: &str, region: &str, service: &str) -> Self {
        // The exact length, so that the boxed text is the one allocation.
        let key_len: usize = access_key_id
            .bytes()
            .map(|b| if encoding::is_unreserved(b) { 1 } else { 3 })
            .sum();
        let len = HEAD.len() + key_len + region.len() + service.len() + 24 + DATE_PARAM.len();
        let mut text = String::with_capacity(len);
        text.push_str(HEAD);
        encoding::push_encoded(&mut text, access_key_id.as_bytes(), UNRESERVED);
        text.push_str("%2F");
        let date_at = text.len();
        text.push_str("%2F");
        let region_at = text.len();
        text.push_str(region);
        let region_range = region_at..text.len();
        text.push_str("%2F");
        let service_at = text.len();
        text.push_str(service);
        let service_range = service_at..text.len();
        text.push_str("%2Faws4_request");
        text.push_str(DATE_PARAM);
        Self {
            text: text.into_boxed_str(),
            date_at,
            region: region_range,
            service: service_range,
        }
    }

    /// Up to the scope date: `X-Amz-Algorithm=…&X-Amz-Credential=KEY%2F`.
    fn before_date(&self) -> &str {
        self.text.get(..self.date_at).unwrap_or_default()
    }

    /// From the scope date on: `%2FREGION%2FSERVICE%2Faws4_request&X-Amz-Date=`.
    fn after_date(&self) -> &str {
        self.text.get(self.date_at..).unwrap_or_default()
    }

    /// The credential before the date: the encoded key id and `%2F`.
    fn credential_key(&self) -> &str {
        self.before_date().get(HEAD.len()..).unwrap_or_default()
    }

    /// The credential after the date: `%2FREGION%2FSERVICE%2Faws4_request`.
    fn credential_suffix(&self) -> &str {
        let after = self.after_date();
        after.strip_suffix(DATE_PARAM).unwrap_or(after)
    }

    /// The scope's region.
    pub(crate) fn region(&self) -> &str {
        self.text.get(self.region.clone()).unwrap_or_default()
    }

    /// The scope's service.
    pub(crate) fn service(&self) -> &str {
        self.text.get(self.service.clone()).unwrap_or_default()
    }
}

/// What the values of the auth parameters are made of.
pub(crate) struct AuthValues<'a> {
    /// The fixed text around the scope date.
    pub(crate) text: &'a AuthText,
    /// The percent-encoded session token, when it is signed.
    pub(crate) encoded_token: Option<&'a str>,
    pub(crate) amz_date: &'a AmzDate,
    pub(crate) expires: u32,
    pub(crate) headers: &'a [(String, String)],
}

impl AuthValues<'_> {
    /// Writes every auth parameter, in canonical order (the token only when it is signed),
    /// in as few pieces as the order allows. The test `write_all_matches_the_pieces` holds
    /// it to the parameter-by-parameter writer.
    pub(crate) fn write_all(&self, out: &mut String) {
        let amz_date = self.amz_date.as_str();
        out.push_str(self.text.before_date());
        out.push_str(amz_date.get(..8).unwrap_or_default());
        out.push_str(self.text.after_date());
        out.push_str(amz_date);
        out.push_str("&X-Amz-Expires=");
        push_u64(out, u64::from(self.expires));
        if let Some(token) = self.encoded_token {
            out.push_str("&X-Amz-Security-Token=");
            out.push_str(token);
        }
        if self.headers.is_empty() {
            out.push_str("&X-Amz-SignedHeaders=host");
        } else {
            out.push_str("&X-Amz-SignedHeaders=");
            self.write(AuthParam::SignedHeaders, out);
        }
    }

    fn write(&self, param: AuthParam, out: &mut String) {
        match param {
            AuthParam::Algorithm => out.push_str(ALGORITHM),
            AuthParam::Credential => {
                out.push_str(self.text.credential_key());
                out.push_str(self.amz_date.date());
                out.push_str(self.text.credential_suffix());
            }
            AuthParam::Date => out.push_str(self.amz_date.as_str()),
            AuthParam::Expires => push_u64(out, u64::from(self.expires)),
            AuthParam::SecurityToken => {
                if let Some(token) = self.encoded_token {
                    out.push_str(token);
                }
            }
            AuthParam::SignedHeaders => {
                // Only names are written, so the host's value is not needed.
                let mut first = true;
                for_each_header("", self.headers, |name, _| {
                    if !first {
                        out.push_str("%3B");
                    }
                    first = false;
                    encoding::push_encoded(out, name.as_bytes(), UNRESERVED);
                });
            }
        }
    }
}

/// How many query parameters are sorted on the stack before a `Vec` is needed.
pub(crate) const INLINE_PIECES: usize = 16;

/// One query parameter of the canonical query.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'a> {
    /// From the URL's query: percent-encoded, `+` a space; decoded, then encoded.
    Wire { name: &'a str, value: &'a str },
    /// Added with `PresignRequest::query`: raw text, encoded.
    Raw { name: &'a str, value: &'a str },
    /// Added by the signer.
    Auth(AuthParam),
}

impl Piece<'_> {
    fn name_bytes(&self) -> CanonicalBytes<'_> {
        match *self {
            Piece::Wire { name, .. } => CanonicalBytes::decoded(name),
            Piece::Raw { name, .. } => CanonicalBytes::raw(name),
            // Auth names are all unreserved characters: their encoding is themselves.
            Piece::Auth(p) => CanonicalBytes::raw(p.name()),
        }
    }

    fn value_bytes(&self) -> CanonicalBytes<'_> {
        match *self {
            Piece::Wire { value, .. } => CanonicalBytes::decoded(value),
            Piece::Raw { value, .. } => CanonicalBytes::raw(value),
            // Never compared: no other parameter may share an auth parameter's name.
            Piece::Auth(_) => CanonicalBytes::raw(""),
        }
    }

    pub(crate) fn write(&self, out: &mut String, auth: &AuthValues<'_>) {
        match *self {
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
                auth.write(param, out);
            }
        }
    }
}

/// Canonical query order: by encoded name, then by encoded value.
pub(crate) fn compare_pieces(a: &Piece<'_>, b: &Piece<'_>) -> Ordering {
    a.name_bytes()
        .cmp(b.name_bytes())
        .then_with(|| a.value_bytes().cmp(b.value_bytes()))
}

/// The bytes of a name or value in its canonical encoding, produced one at a time so that
/// parameters are sorted without encoding them into a buffer first.
pub(crate) struct CanonicalBytes<'a> {
    source: Source<'a>,
    pending: [u8; 2],
    pending_len: u8,
}

enum Source<'a> {
    Decoded(Decoded<'a>),
    Raw(core::slice::Iter<'a, u8>),
}

impl<'a> CanonicalBytes<'a> {
    fn decoded(wire: &'a str) -> Self {
        Self::new(Source::Decoded(Decoded::new(wire, true)))
    }

    fn raw(text: &'a str) -> Self {
        Self::new(Source::Raw(text.as_bytes().iter()))
    }

    fn new(source: Source<'a>) -> Self {
        Self {
            source,
            pending: [0; 2],
            pending_len: 0,
        }
    }
}

impl Iterator for CanonicalBytes<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.pending_len > 0 {
            let b = self.pending[2 - usize::from(self.pending_len)];
            self.pending_len -= 1;
            return Some(b);
        }
        let b = match &mut self.source {
            Source::Decoded(d) => d.next()?,
            Source::Raw(r) => *r.next()?,
        };
        if encoding::is_unreserved(b) {
            return Some(b);
        }
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.pending = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
        self.pending_len = 2;
        Some(b'%')
    }
}

/// The query parameters of one request: on the stack when they are few.
pub(crate) struct Pieces<'a> {
    store: PieceStore<'a>,
    /// How many came from the URL or the request (not from the signer).
    pub(crate) user_count: usize,
}

// The inline variant is large on purpose: it keeps a typical request's parameters on the
// stack, so sorting them allocates nothing.
#[allow(clippy::large_enum_variant)]
enum PieceStore<'a> {
    Inline([Piece<'a>; INLINE_PIECES], usize),
    Heap(Vec<Piece<'a>>),
}

impl<'a> Pieces<'a> {
    fn with_capacity(count: usize) -> Self {
        let store = if count <= INLINE_PIECES {
            PieceStore::Inline([Piece::Auth(AuthParam::Algorithm); INLINE_PIECES], 0)
        } else {
            PieceStore::Heap(Vec::with_capacity(count))
        };
        Self {
            store,
            user_count: 0,
        }
    }

    fn push(&mut self, piece: Piece<'a>) {
        if !matches!(piece, Piece::Auth(_)) {
            self.user_count += 1;
        }
        match &mut self.store {
            PieceStore::Inline(array, len) => match array.get_mut(*len) {
                Some(slot) => {
                    *slot = piece;
                    *len += 1;
                }
                None => {
                    let mut heap = Vec::with_capacity(2 * INLINE_PIECES);
                    heap.extend_from_slice(array);
                    heap.push(piece);
                    self.store = PieceStore::Heap(heap);
                }
            },
            PieceStore::Heap(heap) => heap.push(piece),
        }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [Piece<'a>] {
        match &mut self.store {
            PieceStore::Inline(array, len) => &mut array[..*len],
            PieceStore::Heap(heap) => heap,
        }
    }
}

/// Splits the URL's query and the raw parameters into pieces, checking each, and adds the
/// auth parameters (in their sorted order).
pub(crate) fn collect_pieces<'a>(
    url_query: &'a str,
    raw: &'a [(Cow<'_, str>, Cow<'_, str>)],
    signs_token: bool,
) -> Result<Pieces<'a>> {
    let wire = url_query.split('&').filter(|p| !p.is_empty());
    let mut pieces = Pieces::with_capacity(wire.clone().count() + raw.len() + AUTH_PARAMS.len());
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
    for param in AUTH_PARAMS {
        if param != AuthParam::SecurityToken || signs_token {
            pieces.push(Piece::Auth(param));
        }
    }
    Ok(pieces)
}

/// Refuses a parameter whose (decoded) name is an auth parameter's, in any case.
pub(crate) fn check_not_reserved(
    decoded_name: impl Iterator<Item = u8> + Clone,
    shown: &str,
) -> Result<()> {
    let is_reserved = RESERVED_PARAMS.iter().any(|reserved| {
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

/// The canonical query string of a query as received, leaving out the parameters `skip`
/// names (`X-Amz-Signature`, say). Escapes must have been checked.
pub(crate) fn canonical_query_of_wire(query: &str, skip: impl Fn(&str) -> bool) -> String {
    let mut pieces: Vec<Piece<'_>> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Piece::Wire { name, value }
        })
        .filter(|p| !matches!(p, Piece::Wire { name, .. } if skip(name)))
        .collect();
    pieces.sort_unstable_by(compare_pieces);
    let mut out = String::with_capacity(query.len() + query.len() / 2);
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        if let Piece::Wire { name, value } = *piece {
            encoding::push_canonical(&mut out, name, true);
            out.push('=');
            encoding::push_canonical(&mut out, value, true);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn write_all_matches_the_pieces() {
        let date = AmzDate::new(datetime!(2013-05-24 0:00 UTC)).unwrap();
        let headers = [
            ("content-type".into(), "x".into()),
            ("x-amz-meta-a".into(), "y".into()),
        ];
        for (token, headers) in [(None, &headers[..0]), (Some("tok%2Fen"), &headers[..])] {
            let text = AuthText::new("AKID", "us-east-1", "s3");
            assert_eq!((text.region(), text.service()), ("us-east-1", "s3"));
            assert_eq!(
                (text.credential_key(), text.credential_suffix()),
                ("AKID%2F", "%2Fus-east-1%2Fs3%2Faws4_request")
            );
            let auth = AuthValues {
                text: &text,
                encoded_token: token,
                amz_date: &date,
                expires: 86400,
                headers,
            };
            let mut fast = String::new();
            auth.write_all(&mut fast);
            let mut pieces = String::new();
            for param in AUTH_PARAMS {
                if param == AuthParam::SecurityToken && token.is_none() {
                    continue;
                }
                if !pieces.is_empty() {
                    pieces.push('&');
                }
                Piece::Auth(param).write(&mut pieces, &auth);
            }
            assert_eq!(fast, pieces);
        }
    }
}
