//! Numbers in decimal (a port, `X-Amz-Expires`), written into the caller's buffer.

use alloc::string::String;

/// `00` to `99`: two digits a step.
const DIGIT_PAIRS: [[u8; 2]; 100] = {
    let mut table = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        table[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    table
};

/// Appends `n` in decimal.
pub(crate) fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    while n >= 100 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if n >= 10 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[n as usize]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    // Decimal digits are ASCII.
    out.push_str(core::str::from_utf8(&buf[i..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_like_to_string() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            86_400,
            604_800,
            u64::MAX,
        ]
        .into_iter()
        .chain((0..2000).map(|i| i * 7919))
        {
            let mut out = String::from("x");
            push_u64(&mut out, n);
            assert_eq!(out, alloc::format!("x{n}"));
        }
    }
}
