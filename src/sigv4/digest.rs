//! SHA-256 and HMAC-SHA256 on top of the `sha2` crate's compression function, for the
//! signing hot path.
//!
//! Two things the `sha2`/`hmac` APIs cannot do: start from a saved midstate, and take many
//! small pieces cheaply. An HMAC key costs two compressions to prepare (`key ^ ipad`,
//! `key ^ opad`); a presigner prepares them once per day and caches the two midstates (and
//! `Credentials` keep those of `"AWS4"` + secret), so a signature costs only the
//! compressions of its message, fewer still when the state after the string to sign's
//! first blocks is cached too (see `cache`). The canonical request is fed in small pieces,
//! which this buffer copies with no per-call bookkeeping.
//!
//! The compression itself (with SHA-NI or other CPU extensions where present) is
//! `sha2::compress256`; the tests compare everything here with `sha2` and `hmac`.

use sha2::digest::consts::U64;
use sha2::digest::generic_array::GenericArray;

/// SHA-256's initial state.
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    sha2::compress256(
        state,
        core::slice::from_ref(GenericArray::<u8, U64>::from_slice(block)),
    );
}

/// A streaming SHA-256 that can start from a midstate.
#[derive(Clone)]
pub(crate) struct Sha256Stream {
    state: [u32; 8],
    /// Bytes not yet compressed, then zeros.
    block: [u8; 64],
    filled: usize,
    /// Bytes hashed so far, the midstate's included.
    length: u64,
}

impl Sha256Stream {
    pub(crate) fn new() -> Self {
        Self::resume(IV, 0)
    }

    /// Continues from `state`, which has absorbed `length` bytes (a multiple of 64).
    pub(crate) fn resume(state: [u32; 8], length: u64) -> Self {
        Self {
            state,
            block: [0; 64],
            filled: 0,
            length,
        }
    }

    #[inline]
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.filled > 0 {
            let take = (64 - self.filled).min(data.len());
            self.block[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            self.filled += take;
            data = &data[take..];
            if self.filled < 64 {
                return;
            }
            compress(&mut self.state, &self.block);
            // Zero beyond `filled`, always: `finalize` pads on that.
            self.block = [0; 64];
            self.filled = 0;
        }
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            sha2::compress256(
                &mut self.state,
                core::slice::from_ref(GenericArray::<u8, U64>::from_slice(block)),
            );
        }
        let rest = blocks.remainder();
        self.block[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// The state after the whole blocks absorbed so far, and how many bytes that is (a
    /// multiple of 64): a midstate to [`resume`](Self::resume) from.
    pub(crate) fn midstate(&self) -> ([u32; 8], u64) {
        (self.state, self.length - self.filled as u64)
    }

    pub(crate) fn finalize(&mut self) -> [u8; 32] {
        let bits = self.length.wrapping_mul(8);
        // The block is zero beyond `filled` already.
        self.block[self.filled] = 0x80;
        if self.filled >= 56 {
            compress(&mut self.state, &self.block);
            self.block = [0; 64];
        }
        self.block[56..].copy_from_slice(&bits.to_be_bytes());
        compress(&mut self.state, &self.block);
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

/// An HMAC-SHA256 key, prepared: the midstates after `key ^ ipad` and `key ^ opad`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct HmacKey {
    pub(crate) inner: [u32; 8],
    pub(crate) outer: [u32; 8],
}

impl core::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The midstates are as good as the key.
        f.write_str("HmacKey(<redacted>)")
    }
}

impl HmacKey {
    /// Prepares a 32-byte key (a SigV4 signing key).
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        Self::from_parts(&[key])
    }

    /// Prepares the key made of `parts` one after the other (of any total length: a key
    /// longer than a block is hashed first, as HMAC says).
    pub(crate) fn from_parts(parts: &[&[u8]]) -> Self {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut block = [0u8; 64];
        if len > 64 {
            let mut hasher = Sha256Stream::new();
            for part in parts {
                hasher.update(part);
            }
            block[..32].copy_from_slice(&hasher.finalize());
        } else {
            let mut at = 0;
            for part in parts {
                block[at..at + part.len()].copy_from_slice(part);
                at += part.len();
            }
        }
        let mut ipad = [0x36u8; 64];
        let mut opad = [0x5cu8; 64];
        for ((i, o), k) in ipad.iter_mut().zip(opad.iter_mut()).zip(block) {
            *i ^= k;
            *o ^= k;
        }
        let mut inner = IV;
        let mut outer = IV;
        compress(&mut inner, &ipad);
        compress(&mut outer, &opad);
        Self { inner, outer }
    }

    /// HMAC-SHA256 of `message` under this key.
    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut stream = self.start();
        stream.update(message);
        self.finish(&mut stream)
    }

    /// A MAC computation whose message is fed to the returned stream.
    pub(crate) fn start(&self) -> Sha256Stream {
        Sha256Stream::resume(self.inner, 64)
    }

    /// Ends a MAC computation begun with [`HmacKey::start`].
    pub(crate) fn finish(&self, inner: &mut Sha256Stream) -> [u8; 32] {
        Self::finish_outer(&self.outer, inner)
    }

    /// Ends a MAC computation whose inner hash is `inner`, given the key's outer midstate.
    pub(crate) fn finish_outer(outer: &[u32; 8], inner: &mut Sha256Stream) -> [u8; 32] {
        let inner_hash = inner.finalize();
        let mut outer = Sha256Stream::resume(*outer, 64);
        outer.update(&inner_hash);
        outer.finalize()
    }
}

/// Whether `a` and `b` are equal, in time independent of where they differ (their
/// lengths may show): for comparing MACs, signatures and tokens.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && {
        let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
        core::hint::black_box(difference) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};

    fn bytes(n: usize, seed: u8) -> Vec<u8> {
        (0..n)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn sha256_matches_sha2_for_every_length_and_split() {
        for len in 0..300 {
            let data = bytes(len, len as u8);
            let expected: [u8; 32] = Sha256::digest(&data).into();
            let mut whole = Sha256Stream::new();
            whole.update(&data);
            assert_eq!(whole.finalize(), expected, "length {len}");
            for split in [1, 3, 63, 64, 65] {
                let mut pieces = Sha256Stream::new();
                for piece in data.chunks(split) {
                    pieces.update(piece);
                }
                assert_eq!(
                    pieces.finalize(),
                    expected,
                    "length {len}, pieces of {split}"
                );
            }
        }
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"bbc"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn hmac_matches_the_hmac_crate() {
        for len in [0, 1, 55, 56, 63, 64, 65, 119, 120, 200, 1000] {
            let key: [u8; 32] = Sha256::digest([len as u8]).into();
            let message = bytes(len, 7);
            let mut reference = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            reference.update(&message);
            let expected: [u8; 32] = reference.finalize().into_bytes().into();
            let prepared = HmacKey::new(&key);
            let mut stream = prepared.start();
            stream.update(&message);
            assert_eq!(prepared.finish(&mut stream), expected, "length {len}");
            assert_eq!(prepared.mac(&message), expected, "length {len}");
        }
    }

    #[test]
    fn keys_of_any_length_match_the_hmac_crate() {
        for len in [0, 1, 31, 32, 63, 64, 65, 100, 200] {
            let key = bytes(len, 3);
            let mut reference = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            reference.update(b"message");
            let expected: [u8; 32] = reference.finalize().into_bytes().into();
            let (a, b) = key.split_at(len / 3);
            assert_eq!(
                HmacKey::from_parts(&[a, b]).mac(b"message"),
                expected,
                "key length {len}"
            );
        }
    }
}
