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
    /// The port, unless it is absent or the scheme's default.
    pub(crate) port: Option<u16>,
    /// The path as written; `/` when the URL has none.
    pub(crate) path: &'a str,
    /// The query without its `?`; empty when there is none.
    pub(crate) query: &'a str,
}

impl<'a> Url<'a> {
    /// Parses `url`, in one pass over its bytes.
    pub(crate) fn parse(url: &'a str) -> Result<Self> {
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
            port,
            path,
            query,
        })
    }

    /// Appends the canonical `host[:port]`: lower-cased, the default port dropped.
    pub(crate) fn push_authority(&self, out: &mut String) {
        if self.host.bytes().any(|b| b.is_ascii_uppercase()) {
            for c in self.host.chars() {
                out.push(c.to_ascii_lowercase());
            }
        } else {
            out.push_str(self.host);
        }
        if let Some(port) = self.port {
            out.push(':');
            push_u64(out, u64::from(port));
        }
    }
}

/// Appends `n` in decimal.
pub(crate) fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

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
    fn decimal() {
        let mut s = String::new();
        push_u64(&mut s, 0);
        s.push(' ');
        push_u64(&mut s, 604800);
        s.push(' ');
        push_u64(&mut s, u64::MAX);
        assert_eq!(s, "0 604800 18446744073709551615");
    }
}
