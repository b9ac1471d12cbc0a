//! Reading the absolute URL that is to be presigned, in wire form:
//! `scheme://host[:port][/path][?query]`. The reader borrows from the URL and allocates
//! nothing; the usual URL takes a fast path.

use crate::error::{Error, Result};
use crate::sigv4::target::{PathForm, Scheme, TargetRef, control_character};

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

fn not_absolute() -> Error {
    Error::MalformedUrl {
        reason: "the URL is not absolute: it must start with https:// or http://",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigv4::target::Target;
    use alloc::string::String;

    fn authority(url: &str) -> String {
        let mut s = String::new();
        TargetRef::parse(url).unwrap().push_authority(&mut s);
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
    fn refusals() {
        assert!(matches!(
            TargetRef::parse("ftp://h/"),
            Err(Error::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            TargetRef::parse("h/x"),
            Err(Error::MalformedUrl { .. })
        ));
        assert_eq!(TargetRef::parse("https:///x"), Err(Error::MissingHost));
        assert_eq!(TargetRef::parse("https://:80/x"), Err(Error::MissingHost));
        assert_eq!(
            TargetRef::parse("https://u:p@h/"),
            Err(Error::UrlHasUserinfo)
        );
        assert_eq!(TargetRef::parse("https://h/#f"), Err(Error::UrlHasFragment));
        for bad_port in [
            "https://h:0/",
            "https://h:65536/",
            "https://h:/",
            "https://h:a/",
        ] {
            assert!(
                matches!(TargetRef::parse(bad_port), Err(Error::InvalidPort { .. })),
                "{bad_port}"
            );
        }
        assert!(matches!(
            TargetRef::parse("https://a:b:c/"),
            Err(Error::InvalidPort { .. })
        ));
        for bad_host in [
            "https://[::1/",
            "https://[zz]/",
            "https://[::1]x/",
            "https://h%41/",
        ] {
            assert!(
                matches!(TargetRef::parse(bad_host), Err(Error::InvalidHost { .. })),
                "{bad_host}"
            );
        }
        assert!(matches!(
            TargetRef::parse("https://h/\n"),
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
