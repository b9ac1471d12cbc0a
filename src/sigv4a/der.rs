//! The DER form of an ECDSA signature, `SEQUENCE { r INTEGER, s INTEGER }`: what SigV4a
//! writes, hex-encoded, in `X-Amz-Signature`.
//!
//! Both directions are short and strict here rather than a dependency: the writer emits
//! the minimal encoding, and the reader accepts only that, so one (r, s) has one text.
//! ECDSA itself is malleable all the same: (r, n - s) verifies as well as (r, s), and AWS's
//! signers emit either, so both are accepted. A SigV4a signature is therefore no unique
//! id of a URL (a replay cache keys on the request, not the signature).

/// The longest signature: two 33-byte integers, their headers and the sequence's.
pub(crate) const MAX_LEN: usize = 2 + 2 * (2 + 33);

/// Writes `r` and `s` (32-byte big-endian scalars) as DER into `out`; returns the length.
pub(crate) fn encode(r: &[u8; 32], s: &[u8; 32], out: &mut [u8; MAX_LEN]) -> usize {
    let (r, r_pad) = minimal(r);
    let (s, s_pad) = minimal(s);
    let r_len = r.len() + usize::from(r_pad);
    let s_len = s.len() + usize::from(s_pad);
    let mut at = 0;
    let mut push = |b: u8| {
        out[at] = b;
        at += 1;
    };
    push(0x30);
    // At most 70: one length byte.
    push((4 + r_len + s_len) as u8);
    for (value, pad, len) in [(r, r_pad, r_len), (s, s_pad, s_len)] {
        push(0x02);
        push(len as u8);
        if pad {
            push(0);
        }
        for &b in value {
            push(b);
        }
    }
    at
}

/// The integer's bytes without leading zeros (one byte at least), and whether a zero byte
/// must precede them to keep it positive.
fn minimal(x: &[u8; 32]) -> (&[u8], bool) {
    let first = x.iter().position(|&b| b != 0).unwrap_or(31);
    let bytes = &x[first..];
    (bytes, bytes[0] & 0x80 != 0)
}

/// Reads a DER signature: `r` and `s` as 32-byte big-endian numbers, or `None` unless the
/// encoding is the minimal one and both fit in 32 bytes.
pub(crate) fn decode(der: &[u8]) -> Option<([u8; 32], [u8; 32])> {
    let (&tag, rest) = der.split_first()?;
    let (&len, body) = rest.split_first()?;
    if tag != 0x30 || len >= 0x80 || usize::from(len) != body.len() {
        return None;
    }
    let (r, rest) = integer(body)?;
    let (s, rest) = integer(rest)?;
    rest.is_empty().then_some((r, s))
}

/// One positive INTEGER of at most 32 significant bytes, minimally encoded; and the rest.
fn integer(der: &[u8]) -> Option<([u8; 32], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&len, rest) = rest.split_first()?;
    let len = usize::from(len);
    if tag != 0x02 || len == 0 || len > 33 || rest.len() < len {
        return None;
    }
    let (value, rest) = rest.split_at(len);
    if value[0] & 0x80 != 0 {
        // Negative.
        return None;
    }
    if len > 1 && value[0] == 0 && value[1] & 0x80 == 0 {
        // A zero byte that was not needed.
        return None;
    }
    // A leading zero (of a positive number, or of zero itself) carries no value.
    let value = value.strip_prefix(&[0]).unwrap_or(value);
    if value.len() > 32 {
        return None;
    }
    let mut out = [0u8; 32];
    out[32 - value.len()..].copy_from_slice(value);
    Some((out, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(r: [u8; 32], s: [u8; 32]) -> usize {
        let mut out = [0u8; MAX_LEN];
        let len = encode(&r, &s, &mut out);
        assert_eq!(decode(&out[..len]), Some((r, s)));
        len
    }

    #[test]
    fn writes_the_minimal_form() {
        let mut high = [0u8; 32];
        high[0] = 0x80;
        let mut low = [0u8; 32];
        low[31] = 5;
        let mut out = [0u8; MAX_LEN];
        let len = encode(&high, &low, &mut out);
        let mut expected = alloc::vec![0x30, 38, 0x02, 33, 0x00, 0x80];
        expected.extend_from_slice(&[0; 31]);
        expected.extend_from_slice(&[0x02, 1, 5]);
        assert_eq!(&out[..len], &expected[..]);
        assert_eq!(round_trip(high, low), 40);
        assert_eq!(round_trip([0xff; 32], [0xff; 32]), MAX_LEN);
        assert_eq!(round_trip([0; 32], [0x7f; 32]), 2 + 3 + 34);
    }

    #[test]
    fn reads_aws_signatures() {
        // aws-c-auth v4a get-vanilla, query-signature.txt.
        let der = hex::decode(
            "3045022100b3246f8e1442dd58e73292ae1294720c3256ee58f6cea50f3a3f83b4a4b0331a0220\
             329693f7745c9008a5887c0529ceccb0fae4e16d707b712ea66acdbaf963769a",
        )
        .unwrap();
        let (r, s) = decode(&der).unwrap();
        assert_eq!(r[0], 0xb3);
        assert_eq!(s[0], 0x32);
        let mut out = [0u8; MAX_LEN];
        let len = encode(&r, &s, &mut out);
        assert_eq!(&out[..len], &der[..]);
    }

    #[test]
    fn refuses_every_other_encoding() {
        let good = [0x30, 6, 0x02, 1, 1, 0x02, 1, 2];
        assert!(decode(&good).is_some());
        for bad in [
            &[][..],
            &[0x31, 6, 0x02, 1, 1, 0x02, 1, 2], // not a sequence
            &[0x30, 7, 0x02, 1, 1, 0x02, 1, 2], // length too long
            &[0x30, 5, 0x02, 1, 1, 0x02, 1, 2], // length too short
            &[0x30, 7, 0x02, 2, 0, 1, 0x02, 1, 2], // a zero byte not needed
            &[0x30, 6, 0x02, 1, 0x81, 0x02, 1, 2], // negative
            &[0x30, 6, 0x03, 1, 1, 0x02, 1, 2], // not an integer
            &[0x30, 5, 0x02, 0, 0x02, 1, 2],    // empty integer
            &[0x30, 9, 0x02, 1, 1, 0x02, 1, 2, 0, 0, 0], // trailing bytes
            &[0x30, 0x81, 6, 0x02, 1, 1, 0x02, 1, 2], // long-form length
            &[0x30, 3, 0x02, 5, 1],             // an integer longer than what is left
        ] {
            assert_eq!(decode(bad), None, "{bad:02x?}");
        }
        let mut long = alloc::vec![0x30, 4 + 34 + 1, 0x02, 34, 0];
        long.extend_from_slice(&[1; 33]);
        long.extend_from_slice(&[0x02, 1, 1]);
        assert_eq!(decode(&long), None, "33 significant bytes");
    }
}
