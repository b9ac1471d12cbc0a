//! Reading the absolute URL that is to be presigned.
//!
//! The URL is taken in wire form: `scheme://host[:port][/path][?query]`. The parser borrows
//! from the input and allocates nothing. It refuses what cannot be presigned: another scheme
//! than `http`/`https`, user information, a fragment, a missing host, control characters.

use alloc::string::String;

use crate::error::{Error, Result};

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    pub(crate) fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// The parts of a URL, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Url<'a> {
    pub(crate) scheme: Scheme,
    /// The host as written (an IPv6 literal keeps its brackets); not yet lower-cased.
    pub(crate) host: &'a str,
    /// Whether `host` has no upper-case letter.
    pub(crate) host_is_lowercase: bool,
    /// The port, unless it is absent or the scheme's default.
    pub(crate) port: Option<u16>,
    /// The path as written; `/` when the URL has none.
    pub(crate) path: &'a str,
    /// The query without its `?`; empty when there is none.
    pub(crate) query: &'a str,
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

impl<'a> Url<'a> {
    /// Parses `url`. The usual URL (`http://` or `https://`, a lower-case DNS name or IPv4
    /// address, an optional port) takes a fast path; anything else, errors included, the
    /// careful one, which gives the same result (the test `fast_path_agrees` holds them
    /// together).
    #[inline]
    pub(crate) fn parse(url: &'a str) -> Result<Self> {
        match Self::parse_usual(url) {
            Some(parsed) => Ok(parsed),
            None => Self::parse_any(url),
        }
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
        // Without early exit, so that long paths are scanned with vector instructions.
        let suspicious = path_and_query.iter().fold(false, |found, &b| {
            found | (b < b' ') | (b == 0x7f) | (b == b'#')
        });
        if suspicious {
            return None;
        }
        let path_and_query = &url[at..];
        let (path, query) = match memchr_question(path_and_query.as_bytes()) {
            Some(q) => (&path_and_query[..q], &path_and_query[q + 1..]),
            None => (path_and_query, ""),
        };
        Some(Url {
            scheme,
            host: &url[start..start + host_len],
            host_is_lowercase: true,
            port,
            path: if path.is_empty() { "/" } else { path },
            query,
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
        // Without early exit, so that long URLs are scanned with vector instructions.
        let suspicious = rest.iter().fold(false, |found, &b| {
            found | (b < b' ') | (b == 0x7f) | (b == b'#')
        });
        if suspicious {
            return Err(
                if rest.contains(&b'#') && !rest.iter().any(|&b| b < b' ' || b == 0x7f) {
                    Error::UrlHasFragment
                } else {
                    Error::MalformedUrl {
                        reason: "the URL holds a control character (a line break or a tab?); \
                             percent-encode it or remove it",
                    }
                },
            );
        }
        if bytes[..colon].iter().any(|&b| b < b' ' || b == 0x7f) {
            return Err(not_absolute());
        }
        let authority_end = rest_start
            + rest
                .iter()
                .position(|&b| b == b'/' || b == b'?')
                .unwrap_or(rest.len());
        if bytes[rest_start..authority_end].contains(&b'@') {
            return Err(Error::UrlHasUserinfo);
        }
        let authority = &url[rest_start..authority_end];
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            None => None,
            Some(p) => {
                let port = parse_port(p)?;
                (port != scheme.default_port()).then_some(port)
            }
        };
        let path_and_query = &url[authority_end..];
        let (path, query) = match path_and_query.find('?') {
            Some(q) => (&path_and_query[..q], &path_and_query[q + 1..]),
            None => (path_and_query, ""),
        };
        let path = if path.is_empty() { "/" } else { path };
        Ok(Url {
            scheme,
            host,
            host_is_lowercase: !host.bytes().any(|b| b.is_ascii_uppercase()),
            port,
            path,
            query,
        })
    }

    /// Appends the canonical `host[:port]`: lower-cased, the default port dropped.
    pub(crate) fn push_authority(&self, out: &mut String) {
        let start = out.len();
        out.push_str(self.host);
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

/// The position of the first `?`.
fn memchr_question(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'?')
}

/// Appends `n` in decimal.
pub(crate) fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    while n >= 100 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if n >= 10 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[n as usize]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    // Decimal digits are ASCII.
    out.push_str(core::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// `00` to `99`.
const DIGIT_PAIRS: [[u8; 2]; 100] = {
    let mut table = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        table[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    table
};

fn not_absolute() -> Error {
    Error::MalformedUrl {
        reason: "the URL is not absolute: it must start with https:// or http://",
    }
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
        Url::parse(url).unwrap().push_authority(&mut s);
        s
    }

    #[test]
    fn parts() {
        let u = Url::parse("HTTPS://Example.COM:8443/a/b?x=1&y").unwrap();
        assert_eq!(u.scheme, Scheme::Https);
        assert_eq!(u.host, "Example.COM");
        assert_eq!(u.port, Some(8443));
        assert_eq!(u.path, "/a/b");
        assert_eq!(u.query, "x=1&y");
        let u = Url::parse("http://h?q").unwrap();
        assert_eq!((u.path, u.query), ("/", "q"));
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
    fn refusals() {
        assert!(matches!(
            Url::parse("ftp://h/"),
            Err(Error::UnsupportedScheme { .. })
        ));
        assert!(matches!(Url::parse("h/x"), Err(Error::MalformedUrl { .. })));
        assert_eq!(Url::parse("https:///x"), Err(Error::MissingHost));
        assert_eq!(Url::parse("https://:80/x"), Err(Error::MissingHost));
        assert_eq!(Url::parse("https://u:p@h/"), Err(Error::UrlHasUserinfo));
        assert_eq!(Url::parse("https://h/#f"), Err(Error::UrlHasFragment));
        assert!(matches!(
            Url::parse("https://h:0/"),
            Err(Error::InvalidPort { .. })
        ));
        assert!(matches!(
            Url::parse("https://h:65536/"),
            Err(Error::InvalidPort { .. })
        ));
        assert!(matches!(
            Url::parse("https://h:/"),
            Err(Error::InvalidPort { .. })
        ));
        assert!(matches!(
            Url::parse("https://h:a/"),
            Err(Error::InvalidPort { .. })
        ));
        assert!(matches!(
            Url::parse("https://a:b:c/"),
            Err(Error::InvalidPort { .. })
        ));
        assert!(matches!(
            Url::parse("https://[::1/"),
            Err(Error::InvalidHost { .. })
        ));
        assert!(matches!(
            Url::parse("https://[zz]/"),
            Err(Error::InvalidHost { .. })
        ));
        assert!(matches!(
            Url::parse("https://[::1]x/"),
            Err(Error::InvalidHost { .. })
        ));
        assert!(matches!(
            Url::parse("https://h%41/"),
            Err(Error::InvalidHost { .. })
        ));
        assert!(matches!(
            Url::parse("https://h/\n"),
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
                        let careful = Url::parse_any(&url);
                        if let Some(fast) = Url::parse_usual(&url) {
                            assert_eq!(Ok(fast), careful, "{url}");
                        }
                        assert_eq!(Url::parse(&url), careful, "{url}");
                    }
                }
            }
        }
        for usual in ["https://example.com:8443/a?b", "http://h", "http://h:9000"] {
            assert!(Url::parse_usual(usual).is_some(), "{usual}");
        }
    }

    #[test]
    fn decimal() {
        let mut s = String::new();
        push_u64(&mut s, 0);
        s.push(' ');
        push_u64(&mut s, 604800);
        s.push(' ');
        push_u64(&mut s, 86400);
        s.push(' ');
        push_u64(&mut s, 9);
        s.push(' ');
        push_u64(&mut s, 10);
        s.push(' ');
        push_u64(&mut s, u64::MAX);
        assert_eq!(s, "0 604800 86400 9 10 18446744073709551615");
    }
}
