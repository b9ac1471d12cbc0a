//! Base64 (RFC 4648): unpadded base64url for EKS and MSK tokens, padded standard base64 for
//! S3 POST policies (written, and read back by the POST verifier).
//!
//! A few lines here instead of the `base64` crate: the crate only ever encodes short
//! inputs, and keeps its runtime dependencies to the six it promises.

use alloc::string::String;
use alloc::vec::Vec;

const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `bytes` as base64url without `=` padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

/// Encodes `bytes` as standard base64 with `=` padding.
pub(crate) fn encode_standard(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let at = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (at(0) << 16) | (at(1) << 8) | at(2);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for &s in &sextets[..chunk.len() + 1] {
            out.push(char::from(alphabet[s as usize]));
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64, `=` padding optional; `None` for any other character, or
/// bits left over.
pub(crate) fn decode_standard(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || (text.len() != body.len() && !text.len().is_multiple_of(4)) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0u32);
    for &c in body.as_bytes() {
        let value = STANDARD.iter().position(|&a| a == c)? as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    // What is left must be padding bits, all zero, and fewer than a byte's worth.
    (count < 6 && bits & ((1 << count) - 1) == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{decode_standard, encode, encode_standard};

    #[test]
    fn decodes_what_it_encodes() {
        for input in [
            "",
            "f",
            "fo",
            "foo",
            "foob",
            "fooba",
            "foobar",
            "\u{0}\u{ff}é",
        ] {
            let encoded = encode_standard(input.as_bytes());
            assert_eq!(
                decode_standard(&encoded).as_deref(),
                Some(input.as_bytes()),
                "{encoded}"
            );
            let unpadded = encoded.trim_end_matches('=');
            assert_eq!(decode_standard(unpadded).as_deref(), Some(input.as_bytes()));
        }
        for bad in [
            "Zg=", "Zg===", "Z", "Zh==", "Zm9v-", "Zm9v_", "Zm 9v", "=Zg=",
        ] {
            assert_eq!(decode_standard(bad), None, "{bad}");
        }
    }

    #[test]
    fn rfc4648_vectors_without_padding() {
        // RFC 4648 section 10, padding removed.
        for (input, expected) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(input.as_bytes()), expected);
        }
        // The URL-safe alphabet: 0xfb 0xff -> "-_8".
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        // RFC 4648 section 10 with padding, and the standard alphabet.
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode_standard(input.as_bytes()), expected);
        }
        assert_eq!(encode_standard(&[0xfb, 0xff]), "+/8=");
    }
}
