//! Where a request goes: its target split into scheme, authority, path and query.
//!
//! A [`Target`] is read from an absolute URL ([`Target::parse`], which borrows from the
//! URL and allocates nothing) or built from its parts ([`Target::new`]), as the `s3`
//! module does from a bucket, an endpoint and a raw key, so that nothing is printed into a
//! URL only to be read back. What cannot be presigned is refused: another scheme than
//! `http`/`https`, user information, a fragment, a missing host, control characters.

use alloc::borrow::Cow;
use alloc::string::String;

use crate::error::{Error, Result};
use crate::sigv4::decimal::push_u64;

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http`, default port 80.
    Http,
    /// `https`, default port 443.
    Https,
}

impl Scheme {
    /// `"http"` or `"https"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// 80 or 443.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// How a target's path is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PathForm {
    /// As it travels: percent-escapes are escapes.
    Wire,
    /// Text: every byte but the unreserved ones and `/` is to be encoded.
    Raw,
}

/// The target of a request: scheme, authority (`host[:port]`), path and query.
///
/// ```
/// use sigv4_presign::sigv4::{Scheme, Target};
///
/// let parsed = Target::parse("https://Example.com:443/a%20b?x=1")?;
/// assert_eq!((parsed.scheme(), parsed.host(), parsed.port()), (Scheme::Https, "Example.com", None));
/// assert_eq!((parsed.path(), parsed.query()), ("/a%20b", "x=1"));
///
/// // The same request from its parts; a raw path is text, encoded when it is signed.
/// let built = Target::new(Scheme::Https, "example.com")?.with_raw_path("/a b").with_query("x=1");
/// assert_eq!(built.path(), "/a b");
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<'a> {
    authority: Cow<'a, str>,
    path: Cow<'a, str>,
    query: Cow<'a, str>,
    /// The rest, as in [`TargetRef`] (whose strings are the three above).
    scheme: Scheme,
    host_end: usize,
    host_is_lowercase: bool,
    port: Option<u16>,
    path_form: PathForm,
    checked: bool,
}

/// A target's parts, borrowed: what the signer reads (a parsed URL, or a [`Target`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TargetRef<'a> {
    pub(crate) scheme: Scheme,
    /// `host[:port]` as given; an IPv6 literal keeps its brackets.
    authority: &'a str,
    /// Where the host ends in `authority`.
    host_end: usize,
    /// Whether the host has no upper-case letter.
    host_is_lowercase: bool,
    /// The port, unless it is absent or the scheme's default.
    port: Option<u16>,
    pub(crate) path: &'a str,
    pub(crate) path_form: PathForm,
    /// The query without its `?`.
    pub(crate) query: &'a str,
    /// Whether path and query are known to hold no control character or `#` (a parsed
    /// URL); built targets are checked when they are signed.
    checked: bool,
}

/// Bytes a host may hold on the fast path: lower-case letters, digits, `-`, `.`, `_`, `~`.
const LOWER_HOST: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] =
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

impl<'a> Target<'a> {
    /// Reads an absolute `http`/`https` URL in wire form: `scheme://host[:port][/path][?query]`.
    ///
    /// Errors: [`Error::UnsupportedScheme`], [`Error::MissingHost`],
    /// [`Error::UrlHasUserinfo`], [`Error::UrlHasFragment`], [`Error::InvalidHost`],
    /// [`Error::InvalidPort`], [`Error::MalformedUrl`].
    pub fn parse(url: &'a str) -> Result<Self> {
        TargetRef::parse(url).map(Self::from_ref)
    }

    /// A target at `authority` (`host` or `host:port`; an IPv6 host in brackets), with the
    /// path `/` and no query.
    ///
    /// Errors: [`Error::UrlHasUserinfo`], [`Error::MissingHost`], [`Error::InvalidHost`],
    /// [`Error::InvalidPort`].
    pub fn new(scheme: Scheme, authority: impl Into<Cow<'a, str>>) -> Result<Self> {
        let authority = authority.into();
        let parts = TargetRef::with_authority(scheme, &authority)?;
        Ok(Self {
            scheme,
            host_end: parts.host_end,
            host_is_lowercase: parts.host_is_lowercase,
            port: parts.port,
            path_form: PathForm::Wire,
            checked: true,
            authority,
            path: Cow::Borrowed("/"),
            query: Cow::Borrowed(""),
        })
    }

    fn from_ref(parts: TargetRef<'a>) -> Self {
        Self {
            scheme: parts.scheme,
            host_end: parts.host_end,
            host_is_lowercase: parts.host_is_lowercase,
            port: parts.port,
            path_form: parts.path_form,
            checked: parts.checked,
            authority: Cow::Borrowed(parts.authority),
            path: Cow::Borrowed(parts.path),
            query: Cow::Borrowed(parts.query),
        }
    }

    /// Its parts, borrowed.
    pub(crate) fn as_ref(&self) -> TargetRef<'_> {
        TargetRef {
            scheme: self.scheme,
            authority: &self.authority,
            host_end: self.host_end,
            host_is_lowercase: self.host_is_lowercase,
            port: self.port,
            path: &self.path,
            path_form: self.path_form,
            query: &self.query,
            checked: self.checked,
        }
    }

    /// Sets the path as it travels, percent-escapes kept as escapes (`/a%20b`).
    pub fn with_path(mut self, wire_path: impl Into<Cow<'a, str>>) -> Self {
        self.path = wire_path.into();
        self.path_form = PathForm::Wire;
        self.checked = false;
        self
    }

    /// Sets the path as text (`/a b/c%d`), which the signer encodes: every byte but the
    /// unreserved characters and `/` becomes `%XX`. It starts with `/`.
    pub fn with_raw_path(mut self, path: impl Into<Cow<'a, str>>) -> Self {
        self.path = path.into();
        self.path_form = PathForm::Raw;
        self
    }

    /// Sets the query as it travels, without its `?` (`a=1&b=x%20y`).
    pub fn with_query(mut self, wire_query: impl Into<Cow<'a, str>>) -> Self {
        self.query = wire_query.into();
        self.checked = false;
        self
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host as given (an IPv6 literal with its brackets).
    pub fn host(&self) -> &str {
        self.authority.get(..self.host_end).unwrap_or_default()
    }

    /// The port, unless it is absent or the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path, as given (see [`Target::with_path`] and [`Target::with_raw_path`]).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query, without its `?`; empty when there is none.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Appends the canonical `host[:port]`: lower-cased, the default port dropped.
    pub(crate) fn push_authority(&self, out: &mut String) {
        self.as_ref().push_authority(out);
    }
}

impl<'a> TargetRef<'a> {
    /// [`Target::parse`].
    #[inline]
    pub(crate) fn parse(url: &'a str) -> Result<Self> {
        // The usual URL (`http://` or `https://`, a lower-case DNS name or IPv4 address, an
        // optional port) takes a fast path; anything else, errors included, the careful
        // one, which gives the same result (the test `fast_path_agrees` holds them
        // together).
        match Self::parse_usual(url) {
            Some(parsed) => Ok(parsed),
            None => Self::parse_any(url),
        }
    }

    /// The parts of `authority`, with the path `/` and no query.
    fn with_authority(scheme: Scheme, authority: &'a str) -> Result<Self> {
        if authority.contains('@') {
            return Err(Error::UrlHasUserinfo);
        }
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            None => None,
            Some(p) => {
                let port = parse_port(p)?;
                (port != scheme.default_port()).then_some(port)
            }
        };
        Ok(Self {
            scheme,
            authority,
            host_end: host.len(),
            host_is_lowercase: !host.bytes().any(|b| b.is_ascii_uppercase()),
            port,
            path: "/",
            path_form: PathForm::Wire,
            query: "",
            checked: true,
        })
    }

    /// The host as given.
    pub(crate) fn host(&self) -> &'a str {
        self.authority.get(..self.host_end).unwrap_or_default()
    }

    /// Checks what the URL parser checks of a target built from parts: a path that starts
    /// with `/`, no control character or `#` in a wire path or the query.
    pub(crate) fn check(&self) -> Result<()> {
        if !self.path.starts_with('/') {
            return Err(Error::MalformedUrl {
                reason: "the path must start with `/`",
            });
        }
        if self.checked {
            return Ok(());
        }
        let wire_path: &[u8] = match self.path_form {
            PathForm::Wire => self.path.as_bytes(),
            PathForm::Raw => &[],
        };
        let query = self.query.as_bytes();
        if wire_path.iter().chain(query).any(|&b| b == b'#') {
            return Err(Error::UrlHasFragment);
        }
        if wire_path
            .iter()
            .chain(query)
            .any(|&b| b < b' ' || b == 0x7f)
        {
            return Err(control_character());
        }
        Ok(())
    }

    /// The fast path: `None` for anything it does not handle.
    fn parse_usual(url: &'a str) -> Option<Self> {
        let bytes = url.as_bytes();
        let (scheme, start) = if bytes.starts_with(b"https://") {
            (Scheme::Https, 8)
        } else if bytes.starts_with(b"http://") {
            (Scheme::Http, 7)
        } else {
            return None;
        };
        let rest = bytes.get(start..)?;
        // The host: allowed bytes up to `:`, `/`, `?` or the end.
        let host_len = rest
            .iter()
            .position(|&b| !LOWER_HOST[usize::from(b)])
            .unwrap_or(rest.len());
        if host_len == 0 {
            return None;
        }
        let mut at = start + host_len;
        let mut port = None;
        if bytes.get(at) == Some(&b':') {
            let digits = bytes[at + 1..]
                .iter()
                .take(6)
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 || digits > 5 {
                return None;
            }
            let n = bytes[at + 1..at + 1 + digits]
                .iter()
                .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
            if !(1..=65535).contains(&n) {
                return None;
            }
            port = (n != u32::from(scheme.default_port())).then_some(n as u16);
            at += 1 + digits;
        }
        let path_and_query = &bytes[at..];
        match path_and_query.first() {
            None | Some(b'/') | Some(b'?') => {}
            Some(_) => return None,
        }
        if has_control_or_hash(path_and_query) {
            return None;
        }
        let (path, query) = split_path_query(&url[at..]);
        Some(Self {
            scheme,
            authority: &url[start..at],
            host_end: host_len,
            host_is_lowercase: true,
            port,
            path,
            path_form: PathForm::Wire,
            query,
            checked: true,
        })
    }

    /// The careful path: every form this module accepts, and a precise error for the rest.
    fn parse_any(url: &'a str) -> Result<Self> {
        let bytes = url.as_bytes();
        let Some(colon) = bytes.iter().position(|&b| b == b':') else {
            return Err(not_absolute());
        };
        if bytes.get(colon + 1..colon + 3) != Some(b"//") {
            return Err(not_absolute());
        }
        let scheme = &url[..colon];
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            Scheme::Https
        } else if scheme.eq_ignore_ascii_case("http") {
            Scheme::Http
        } else if scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return Err(Error::UnsupportedScheme {
                scheme: scheme.into(),
            });
        } else {
            return Err(not_absolute());
        };
        let rest_start = colon + 3;
        let rest = &bytes[rest_start..];
        if has_control_or_hash(rest) {
            let control = rest.iter().any(|&b| b < b' ' || b == 0x7f);
            return Err(if control {
                control_character()
            } else {
                Error::UrlHasFragment
            });
        }
        let authority_end = rest_start
            + rest
                .iter()
                .position(|&b| b == b'/' || b == b'?')
                .unwrap_or(rest.len());
        let (path, query) = split_path_query(&url[authority_end..]);
        let parts = Self::with_authority(scheme, &url[rest_start..authority_end])?;
        Ok(Self {
            path,
            query,
            ..parts
        })
    }

    /// Appends the canonical `host[:port]`: lower-cased, the default port dropped.
    pub(crate) fn push_authority(&self, out: &mut String) {
        let start = out.len();
        out.push_str(self.host());
        if !self.host_is_lowercase
            && let Some(host) = out.get_mut(start..)
        {
            host.make_ascii_lowercase();
        }
        if let Some(port) = self.port {
            out.push(':');
            push_u64(out, u64::from(port));
        }
    }
}

/// `path?query` split at the first `?`; the path is `/` when empty.
fn split_path_query(path_and_query: &str) -> (&str, &str) {
    let (path, query) = match path_and_query.as_bytes().iter().position(|&b| b == b'?') {
        Some(q) => (&path_and_query[..q], &path_and_query[q + 1..]),
        None => (path_and_query, ""),
    };
    (if path.is_empty() { "/" } else { path }, query)
}

/// Whether `bytes` hold a control character, DEL or `#`: a loop without early exit, so
/// that long URLs are scanned with vector instructions.
fn has_control_or_hash(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |found, &b| {
        found | (b < b' ') | (b == 0x7f) | (b == b'#')
    })
}

fn control_character() -> Error {
    Error::MalformedUrl {
        reason: "the URL holds a control character (a line break or a tab?); \
                 percent-encode it or remove it",
    }
}

fn not_absolute() -> Error {
    Error::MalformedUrl {
        reason: "the URL is not absolute: it must start with https:// or http://",
    }
}

/// Whether `host` is written like an IPv4 address: four dot-separated runs of digits.
/// (S3 refuses bucket names of this shape, and such a host cannot carry a bucket name.)
pub(crate) fn is_ipv4_like(host: &str) -> bool {
    host.split('.').count() == 4
        && host
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>)> {
    if authority.is_empty() {
        return Err(Error::MissingHost);
    }
    if let Some(inner_and_rest) = authority.strip_prefix('[') {
        let Some((inner, after)) = inner_and_rest.split_once(']') else {
            return Err(invalid_host(
                authority,
                "an IPv6 literal needs its closing `]`",
            ));
        };
        let ok = inner.contains(':')
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !ok {
            return Err(invalid_host(
                authority,
                "an IPv6 literal holds hexadecimal digits, `:` and `.` only, as in [2001:db8::1]",
            ));
        }
        let host = &authority[..inner.len() + 2];
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err(invalid_host(authority, "after `]` only `:port` may follow")),
            },
        };
    }
    // One pass: the first `:` splits host and port; the host's bytes are checked on the way.
    let mut colon = None;
    for (i, &b) in authority.as_bytes().iter().enumerate() {
        if b == b':' {
            colon = Some(i);
            break;
        }
        if !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')) {
            let host = authority.split(':').next().unwrap_or(authority);
            return Err(invalid_host(
                host,
                "a host is a DNS name or IPv4 address (letters, digits, `-`, `.`, `_`), or an IPv6 \
                 literal in brackets; a second `:` needs brackets, as in [2001:db8::1]:9000",
            ));
        }
    }
    let (host, port) = match colon {
        Some(i) => (&authority[..i], Some(&authority[i + 1..])),
        None => (authority, None),
    };
    if host.is_empty() {
        return Err(Error::MissingHost);
    }
    Ok((host, port))
}

fn invalid_host(host: &str, reason: &'static str) -> Error {
    Error::InvalidHost {
        host: host.into(),
        reason,
    }
}

fn parse_port(port: &str) -> Result<u16> {
    let bad = || Error::InvalidPort { port: port.into() };
    if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match port.parse::<u32>() {
        Ok(n @ 1..=65535) => Ok(n as u16),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority(url: &str) -> String {
        let mut s = String::new();
        Target::parse(url).unwrap().push_authority(&mut s);
        s
    }

    #[test]
    fn parts() {
        let u = Target::parse("HTTPS://Example.COM:8443/a/b?x=1&y").unwrap();
        assert_eq!(u.scheme(), Scheme::Https);
        assert_eq!(u.host(), "Example.COM");
        assert_eq!(u.port(), Some(8443));
        assert_eq!(u.path(), "/a/b");
        assert_eq!(u.query(), "x=1&y");
        let u = Target::parse("http://h?q").unwrap();
        assert_eq!((u.path(), u.query()), ("/", "q"));
        let u = Target::parse("http://h/p?a?b").unwrap();
        assert_eq!((u.path(), u.query()), ("/p", "a?b"));
    }

    #[test]
    fn host_is_lowercased_and_default_ports_dropped() {
        assert_eq!(authority("https://EXAMPLE.com:443/"), "example.com");
        assert_eq!(authority("http://example.com:80/"), "example.com");
        assert_eq!(authority("http://example.com:443/"), "example.com:443");
        assert_eq!(authority("https://example.com:80/"), "example.com:80");
        assert_eq!(
            authority("https://[2001:DB8::1]:9000/"),
            "[2001:db8::1]:9000"
        );
        assert_eq!(authority("https://[::1]/"), "[::1]");
        assert_eq!(authority("http://127.0.0.1:9000"), "127.0.0.1:9000");
    }

    #[test]
    fn built_targets_are_checked_like_parsed_ones() {
        let t = Target::new(Scheme::Https, "H.example:443").unwrap();
        let mut s = String::new();
        t.push_authority(&mut s);
        assert_eq!(s, "h.example");
        assert_eq!(t.as_ref().check(), Ok(()));
        assert_eq!(
            Target::new(Scheme::Https, "u@h"),
            Err(Error::UrlHasUserinfo)
        );
        assert_eq!(Target::new(Scheme::Https, ""), Err(Error::MissingHost));
        assert!(matches!(
            Target::new(Scheme::Https, "h:0"),
            Err(Error::InvalidPort { .. })
        ));
        let with = |path: &'static str, query: &'static str| {
            Target::new(Scheme::Https, "h")
                .unwrap()
                .with_path(path)
                .with_query(query)
                .as_ref()
                .check()
        };
        assert_eq!(with("/a", "b=1"), Ok(()));
        assert_eq!(with("/a#b", ""), Err(Error::UrlHasFragment));
        assert_eq!(with("/a", "b#"), Err(Error::UrlHasFragment));
        assert!(matches!(with("/a\n", ""), Err(Error::MalformedUrl { .. })));
        assert!(matches!(with("a", ""), Err(Error::MalformedUrl { .. })));
        let raw = Target::new(Scheme::Https, "h")
            .unwrap()
            .with_raw_path("/a#b\n");
        assert_eq!(raw.as_ref().check(), Ok(()), "a raw path is text, encoded later");
        assert!(
            Target::new(Scheme::Https, "h")
                .unwrap()
                .with_raw_path("a")
                .as_ref().check()
                .is_err()
        );
    }

    #[test]
    fn ipv4_shapes() {
        assert!(is_ipv4_like("192.168.5.4"));
        assert!(is_ipv4_like("1.2.3.4"));
        assert!(!is_ipv4_like("1.2.3"));
        assert!(!is_ipv4_like("1.2.3.4.5"));
        assert!(!is_ipv4_like("1.2..4"));
        assert!(!is_ipv4_like("192.168.5.4x"));
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            Target::parse("ftp://h/"),
            Err(Error::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            Target::parse("h/x"),
            Err(Error::MalformedUrl { .. })
        ));
        assert_eq!(Target::parse("https:///x"), Err(Error::MissingHost));
        assert_eq!(Target::parse("https://:80/x"), Err(Error::MissingHost));
        assert_eq!(Target::parse("https://u:p@h/"), Err(Error::UrlHasUserinfo));
        assert_eq!(Target::parse("https://h/#f"), Err(Error::UrlHasFragment));
        for bad_port in [
            "https://h:0/",
            "https://h:65536/",
            "https://h:/",
            "https://h:a/",
        ] {
            assert!(
                matches!(Target::parse(bad_port), Err(Error::InvalidPort { .. })),
                "{bad_port}"
            );
        }
        assert!(matches!(
            Target::parse("https://a:b:c/"),
            Err(Error::InvalidPort { .. })
        ));
        for bad_host in [
            "https://[::1/",
            "https://[zz]/",
            "https://[::1]x/",
            "https://h%41/",
        ] {
            assert!(
                matches!(Target::parse(bad_host), Err(Error::InvalidHost { .. })),
                "{bad_host}"
            );
        }
        assert!(matches!(
            Target::parse("https://h/\n"),
            Err(Error::MalformedUrl { .. })
        ));
    }

    #[test]
    fn fast_path_agrees() {
        let hosts = [
            "h",
            "example.com",
            "EXAMPLE.com",
            "127.0.0.1",
            "[::1]",
            "a_b~c",
            "h%41",
            "",
        ];
        let ports = [
            "", ":", ":0", ":1", ":80", ":443", ":8080", ":65535", ":65536", ":123456", ":x",
        ];
        let tails = [
            "", "/", "/a/b", "?", "?x=1", "/p?q#f", "/a\tb", "/\u{7f}", "x", "/é?é",
        ];
        for scheme in ["https://", "http://", "HTTP://", "ftp://", "https:/", ""] {
            for host in hosts {
                for port in ports {
                    for tail in tails {
                        let url = alloc::format!("{scheme}{host}{port}{tail}");
                        let careful = TargetRef::parse_any(&url);
                        if let Some(fast) = TargetRef::parse_usual(&url) {
                            assert_eq!(Ok(fast), careful, "{url}");
                        }
                        assert_eq!(TargetRef::parse(&url), careful, "{url}");
                    }
                }
            }
        }
        for usual in ["https://example.com:8443/a?b", "http://h", "http://h:9000"] {
            assert!(TargetRef::parse_usual(usual).is_some(), "{usual}");
        }
    }
}
