//! Step 1: the canonical request.
//!
//! ```text
//! HTTPMethod            GET
//! CanonicalURI          /test.txt
//! CanonicalQueryString  X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-SignedHeaders=host
//! CanonicalHeaders      host:examplebucket.s3.amazonaws.com\n
//! SignedHeaders         host
//! HashedPayload         UNSIGNED-PAYLOAD
//! ```
//!
//! The lines are joined with `\n`. The request is never built as a string to be hashed:
//! [`CanonicalRequest::write`] feeds its pieces to a sink, which is the SHA-256 hasher on the
//! signing path and a `String` only when a user asks to see it.

use alloc::string::String;
use alloc::vec::Vec;

use crate::sigv4::canonical_headers::{Header, for_each_header};
use crate::sigv4::canonical_query::CanonicalQuery;
use crate::sigv4::canonical_uri::write_canonical_uri;
use crate::sigv4::settings::PathEncoding;

/// Everything the canonical request is made of, borrowed from the URL being built.
pub(crate) struct CanonicalRequest<'a> {
    pub(crate) method: &'a str,
    /// The path as it stands in the emitted URL.
    pub(crate) path: &'a str,
    pub(crate) path_encoding: PathEncoding,
    pub(crate) normalize_path: bool,
    /// Whether `path` is S3's canonical URI as it stands.
    pub(crate) path_is_canonical: bool,
    pub(crate) query: CanonicalQuery<'a>,
    /// The canonical value of the host header.
    pub(crate) host: &'a str,
    /// The other signed headers: canonical, sorted by name, one entry per name.
    pub(crate) headers: &'a [Header],
    pub(crate) payload_hash: &'a str,
}

impl CanonicalRequest<'_> {
    /// Feeds the canonical request to `sink`, piece by piece.
    pub(crate) fn write(&self, sink: &mut impl FnMut(&[u8])) {
        sink(self.method.as_bytes());
        sink(b"\n");
        write_canonical_uri(
            self.path,
            self.path_encoding,
            self.normalize_path,
            self.path_is_canonical,
            sink,
        );
        sink(b"\n");
        self.query.write(sink);
        if self.headers.is_empty() {
            // Only `host`: the usual presigned URL, in four pieces.
            sink(b"\nhost:");
            sink(self.host.as_bytes());
            sink(b"\n\nhost\n");
            sink(self.payload_hash.as_bytes());
            return;
        }
        sink(b"\n");
        for_each_header(self.host, self.headers, |name, value| {
            sink(name.as_bytes());
            sink(b":");
            sink(value.as_bytes());
            sink(b"\n");
        });
        sink(b"\n");
        let mut first = true;
        for_each_header(self.host, self.headers, |name, _| {
            if !first {
                sink(b";");
            }
            first = false;
            sink(name.as_bytes());
        });
        sink(b"\n");
        sink(self.payload_hash.as_bytes());
    }

    /// The canonical request as text.
    pub(crate) fn to_text(&self) -> String {
        let mut bytes = Vec::with_capacity(256 + self.query.len());
        self.write(&mut |piece| bytes.extend_from_slice(piece));
        // Every piece is UTF-8: a `&str` or percent-encoded ASCII.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_lines() {
        let headers = [("content-type".into(), "image/png".into())];
        let request = CanonicalRequest {
            method: "PUT",
            path: "/a%20b",
            path_encoding: PathEncoding::S3,
            normalize_path: false,
            path_is_canonical: true,
            query: CanonicalQuery::new("a=1&b=2"),
            host: "example.com",
            headers: &headers,
            payload_hash: "UNSIGNED-PAYLOAD",
        };
        assert_eq!(
            request.to_text(),
            "PUT\n/a%20b\na=1&b=2\ncontent-type:image/png\nhost:example.com\n\n\
             content-type;host\nUNSIGNED-PAYLOAD"
        );
        let only_host = CanonicalRequest {
            headers: &[],
            ..request
        };
        assert_eq!(
            only_host.to_text(),
            "PUT\n/a%20b\na=1&b=2\nhost:example.com\n\nhost\nUNSIGNED-PAYLOAD"
        );
    }
}
