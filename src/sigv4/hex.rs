//! Lower-case hexadecimal, the form of SigV4's hashes and signatures: the crate's one hex
//! encoder and decoder, on the `hex` crate.

/// Both hex digits of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    table
};

/// The 64 lower-case hex digits of a SHA-256 digest or an HMAC.
#[inline]
pub(crate) fn encode_32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    out
}

/// Appends `bytes` in lower-case hex.
#[cfg(feature = "sigv4a")]
pub(crate) fn push_hex(out: &mut alloc::string::String, bytes: &[u8]) {
    for &b in bytes {
        for digit in HEX_PAIRS[usize::from(b)] {
            out.push(char::from(digit));
        }
    }
}

/// The 32 bytes of exactly 64 lower-case hex digits (the form AWS writes), or `None`.
pub(crate) fn decode_32_lower(text: &str) -> Option<[u8; 32]> {
    let lower = text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let mut out = [0u8; 32];
    (lower && hex::decode_to_slice(text, &mut out).is_ok()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_lower_case_only() {
        let bytes: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xa5);
        let digits = encode_32(&bytes);
        let text = core::str::from_utf8(&digits).unwrap();
        assert_eq!(text, hex::encode(bytes));
        assert_eq!(decode_32_lower(text), Some(bytes));
        let upper = text.to_ascii_uppercase();
        assert_ne!(upper, text);
        assert_eq!(decode_32_lower(&upper), None);
        assert_eq!(decode_32_lower(&text[..62]), None);
        assert_eq!(decode_32_lower(&alloc::format!("{text}00")), None);
        assert_eq!(decode_32_lower(&text.replacen(&text[..1], "g", 1)), None);
        let all: [u8; 32] = core::array::from_fn(|i| i as u8 * 8);
        assert_eq!(
            &encode_32(&all)[..],
            b"0008101820283038404850586068707880889098a0a8b0b8c0c8d0d8e0e8f0f8"
        );
    }
}
