//! The host and port of a target: DNS names, IPv4 addresses and bracketed IPv6 literals.

use crate::error::{Error, Result};

/// Whether `host` is written like an IPv4 address: four dot-separated runs of digits.
/// (S3 refuses bucket names of this shape, and such a host cannot carry a bucket name.)
pub(crate) fn is_ipv4_like(host: &str) -> bool {
    host.split('.').count() == 4
        && host
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

pub(crate) fn split_host_port(authority: &str) -> Result<(&str, Option<&str>)> {
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

pub(crate) fn parse_port(port: &str) -> Result<u16> {
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
    fn hosts_and_ports() {
        assert_eq!(split_host_port("h:1"), Ok(("h", Some("1"))));
        assert_eq!(split_host_port("[::1]:9"), Ok(("[::1]", Some("9"))));
        assert_eq!(split_host_port("a.b-c_d~e"), Ok(("a.b-c_d~e", None)));
        assert_eq!(split_host_port(""), Err(Error::MissingHost));
        assert_eq!(split_host_port(":1"), Err(Error::MissingHost));
        for bad in ["h%41", "[::1", "[zz]", "[::1]x", "a b"] {
            assert!(
                matches!(split_host_port(bad), Err(Error::InvalidHost { .. })),
                "{bad}"
            );
        }
        assert_eq!(parse_port("65535"), Ok(65535));
        for bad in ["0", "65536", "", "123456", "+1", "x"] {
            assert!(
                matches!(parse_port(bad), Err(Error::InvalidPort { .. })),
                "{bad}"
            );
        }
    }
}
