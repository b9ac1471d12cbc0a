//! Step 2 of the algorithm: the string to sign.
//!
//! ```text
//! AWS4-HMAC-SHA256
//! 20130524T000000Z
//! 20130524/us-east-1/s3/aws4_request
//! 3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04
//! ```
//!
//! The last line is the hex SHA-256 of the canonical request. Like the canonical request,
//! it is fed to a sink (the HMAC) rather than built.

use alloc::string::String;
use alloc::vec::Vec;

use crate::amz_date::AmzDate;

/// The algorithm name, first line of the string to sign and value of `X-Amz-Algorithm`.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The parts of the string to sign.
pub(crate) struct StringToSign<'a> {
    /// The signing time.
    pub(crate) amz_date: &'a AmzDate,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    /// SHA-256 of the canonical request.
    pub(crate) canonical_request_hash: &'a [u8; 32],
}

impl StringToSign<'_> {
    /// Feeds the string to sign to `sink`.
    pub(crate) fn write(&self, sink: &mut impl FnMut(&[u8])) {
        let hash_hex = crate::digest::hex_digits(self.canonical_request_hash);
        sink(ALGORITHM.as_bytes());
        sink(b"\n");
        sink(self.amz_date.as_bytes());
        sink(b"\n");
        sink(&self.amz_date.as_bytes()[..8]);
        sink(b"/");
        sink(self.region.as_bytes());
        sink(b"/");
        sink(self.service.as_bytes());
        sink(b"/aws4_request\n");
        sink(&hash_hex);
    }

    /// The string to sign as text.
    pub(crate) fn to_text(&self) -> String {
        let mut bytes = Vec::with_capacity(128);
        self.write(&mut |piece| bytes.extend_from_slice(piece));
        // Every piece is ASCII or a `&str`.
        String::from_utf8(bytes).unwrap_or_default()
    }
}
