//! A request as it arrived at the verifier: method, target, headers, and the caps on them.

use alloc::vec::Vec;
use core::fmt;

use crate::sigv4::{escapes_are_valid, is_token};
use crate::verify::VerifyError;

/// The longest request target (path and query) accepted, in bytes.
pub const MAX_TARGET_LEN: usize = 16 * 1024;
/// The most request headers accepted.
pub const MAX_HEADERS: usize = 256;
/// The longest header value accepted, in bytes.
pub const MAX_HEADER_VALUE_LEN: usize = 16 * 1024;
/// A request as it arrived: the method, the request target (path and query, in wire form,
/// exactly as in the request line) and the headers.
///
/// The `Host` value is compared as the signer wrote it: lower-cased, without the scheme's
/// default port (`:443`; `:80` after [`ReceivedRequest::over_http`]).
///
/// `Debug` shows the path and header names only: the query may hold a session token.
#[derive(Clone, Copy)]
pub struct ReceivedRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) target: &'a str,
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) default_port: &'static str,
}

impl<'a> ReceivedRequest<'a> {
    /// A request received over https. `headers` must include `Host`.
    pub fn new(method: &'a str, target: &'a str, headers: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            method,
            target,
            headers,
            default_port: ":443",
        }
    }

    /// The request came over plain http (its default port is 80, not 443).
    pub fn over_http(mut self) -> Self {
        self.default_port = ":80";
        self
    }

    /// Refuses what is larger than the caps or cannot be a request: a method that is not
    /// an HTTP token, a target with a control character or `#`, that does not start with
    /// `/`, or whose path has a broken percent-escape. Returns the path and the query.
    pub(crate) fn check_and_split(&self) -> Result<(&'a str, &'a str), VerifyError> {
        let too_large = |what, limit| Err(VerifyError::TooLarge { what, limit });
        if self.target.len() > MAX_TARGET_LEN {
            return too_large("the request target", MAX_TARGET_LEN);
        }
        if self.headers.len() > MAX_HEADERS {
            return too_large("the number of headers", MAX_HEADERS);
        }
        if self
            .headers
            .iter()
            .any(|(_, v)| v.len() > MAX_HEADER_VALUE_LEN)
        {
            return too_large("a header value", MAX_HEADER_VALUE_LEN);
        }
        if !is_token(self.method) {
            return Err(malformed("the method is not an HTTP token"));
        }
        let target = self.target.as_bytes();
        // A raw space is tolerated (AWS's CRT suite signs request lines holding one).
        let bad_char = target.iter().fold(false, |bad, &b| {
            bad | (b < b' ') | (b == 0x7f) | (b == b'#')
        });
        if bad_char {
            return Err(malformed(
                "the request target holds a control character or `#`",
            ));
        }
        if target.first() != Some(&b'/') {
            return Err(malformed("the request target must start with `/`"));
        }
        let (path, query) = self.target.split_once('?').unwrap_or((self.target, ""));
        // The query's escapes are checked as it is read.
        if !escapes_are_valid(path.as_bytes()) {
            return Err(malformed("invalid percent-escape in the request target"));
        }
        Ok((path, query))
    }
}

impl fmt::Debug for ReceivedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.target.split('?').next().unwrap_or_default();
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &path)
            .field("header_names", &names)
            .finish_non_exhaustive()
    }
}

fn malformed(reason: &'static str) -> VerifyError {
    VerifyError::Malformed { reason }
}
