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
use crate::sigv4::host::{parse_port, split_host_port};

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
    pub(crate) authority: &'a str,
    /// Where the host ends in `authority`.
    pub(crate) host_end: usize,
    /// Whether the host has no upper-case letter.
    pub(crate) host_is_lowercase: bool,
    /// The port, unless it is absent or the scheme's default.
    pub(crate) port: Option<u16>,
    pub(crate) path: &'a str,
    pub(crate) path_form: PathForm,
    /// The query without its `?`.
    pub(crate) query: &'a str,
    /// Whether path and query are known to hold no control character or `#` (a parsed
    /// URL); built targets are checked when they are signed.
    pub(crate) checked: bool,
}

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
    /// The parts of `authority`, with the path `/` and no query.
    pub(crate) fn with_authority(scheme: Scheme, authority: &'a str) -> Result<Self> {
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

    /// Writes `scheme://host[:port]` and returns where the canonical host (and port)
    /// stands.
    #[inline]
    pub(crate) fn write_origin(&self, out: &mut String) -> core::ops::Range<usize> {
        out.push_str(self.scheme.as_str());
        out.push_str("://");
        let start = out.len();
        self.push_authority(out);
        start..out.len()
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

/// A control character in a URL.
pub(crate) fn control_character() -> Error {
    Error::MalformedUrl {
        reason: "the URL holds a control character (a line break or a tab?); \
                 percent-encode it or remove it",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            raw.as_ref().check(),
            Ok(()),
            "a raw path is text, encoded later"
        );
        assert!(
            Target::new(Scheme::Https, "h")
                .unwrap()
                .with_raw_path("a")
                .as_ref()
                .check()
                .is_err()
        );
    }
}
