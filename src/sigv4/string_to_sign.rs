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

use crate::sigv4::amz_date::AmzDate;
use crate::sigv4::hex;
use crate::sigv4::params::{ALGORITHM, ALGORITHM_SIGV4A};

/// The parts of the string to sign.
pub(crate) struct StringToSign<'a> {
    /// The signing time.
    pub(crate) amz_date: &'a AmzDate,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    /// SHA-256 of the canonical request.
    pub(crate) canonical_request_hash: &'a [u8; 32],
}

/// Feeds `sink` the string to sign up to the hash: the same for every request signed in
/// the same second with the same scope, so a presigner keeps the MAC's state after the
/// prefix's whole blocks, one for usual scopes (see
/// [`SecondCache`](crate::sigv4::cache::SecondCache)).
pub(crate) fn write_prefix(
    amz_date: &AmzDate,
    region: &str,
    service: &str,
    sink: &mut impl FnMut(&[u8]),
) {
    sink(ALGORITHM.as_bytes());
    sink(b"\n");
    sink(amz_date.as_bytes());
    sink(b"\n");
    sink(&amz_date.as_bytes()[..8]);
    sink(b"/");
    sink(region.as_bytes());
    sink(b"/");
    sink(service.as_bytes());
    sink(b"/aws4_request\n");
}

/// Feeds `sink` the string to sign's prefix without its first `skip` bytes (the bytes a
/// cached MAC state has absorbed already).
pub(crate) fn write_prefix_after(
    skip: usize,
    amz_date: &AmzDate,
    region: &str,
    service: &str,
    sink: &mut impl FnMut(&[u8]),
) {
    let mut skip = skip;
    write_prefix(amz_date, region, service, &mut |piece: &[u8]| {
        if skip >= piece.len() {
            skip -= piece.len();
        } else {
            sink(&piece[skip..]);
            skip = 0;
        }
    });
}

impl StringToSign<'_> {
    /// Feeds the string to sign to `sink`.
    pub(crate) fn write(&self, sink: &mut impl FnMut(&[u8])) {
        let hash_hex = hex::encode_32(self.canonical_request_hash);
        write_prefix(self.amz_date, self.region, self.service, sink);
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

/// SigV4a's string to sign, whose scope has no region:
///
/// ```text
/// AWS4-ECDSA-P256-SHA256
/// 20150830T123600Z
/// 20150830/service/aws4_request
/// 890c4ed28c1a1ac10b5862719b537afbe392e987dc1aab1efa16fe7de41d3c81
/// ```
///
/// It is short and signed once per URL (by ECDSA, which hashes it), so it is built.
pub(crate) fn sigv4a_string_to_sign(
    amz_date: &AmzDate,
    service: &str,
    canonical_request_hash: &[u8; 32],
) -> String {
    let hash_hex = hex::encode_32(canonical_request_hash);
    let mut text = String::with_capacity(128 + service.len());
    for part in [
        ALGORITHM_SIGV4A,
        "\n",
        amz_date.as_str(),
        "\n",
        amz_date.date(),
        "/",
        service,
        "/aws4_request\n",
        // Hex digits are ASCII.
        core::str::from_utf8(&hash_hex).unwrap_or_default(),
    ] {
        text.push_str(part);
    }
    text
}
