//! What a presigner keeps between signatures, shared by every thread that signs with it and
//! read without a lock.
//!
//! - [`KeyCache`]: the signing key of the most recent day, as its two HMAC midstates. The
//!   key depends on the date only, so it is derived (four HMACs) once a day.
//! - [`SecondCache`]: what the most recent second adds: the `X-Amz-Date` text and the
//!   MAC's state after the key and the first block of the string to sign, whose first 64
//!   bytes depend only on the second and the scope. Signing in a second already seen
//!   costs one SHA-256 compression less.
//!
//! Both are sequence locks made of atomics only ([`SeqLock`]). A reader never waits: on a
//! miss or a race it computes the value itself and offers it; a writer that finds another
//! writer busy, or a later entry in place, gives up.

use crate::amz_date::AmzDate;
use crate::digest::{HmacKey, Sha256Stream};
use crate::string_to_sign;

/// The prepared signing key of the most recent day.
#[derive(Default)]
pub(crate) struct KeyCache(SeqLock<17>);

impl KeyCache {
    /// The cached key if it is the one for `date` (`YYYYMMDD` as a number).
    #[inline]
    pub(crate) fn get(&self, date: u32) -> Option<HmacKey> {
        let words = self.0.read()?;
        if words[0] != date || date == 0 {
            return None;
        }
        let mut key = HmacKey {
            inner: [0; 8],
            outer: [0; 8],
        };
        key.inner.copy_from_slice(&words[1..9]);
        key.outer.copy_from_slice(&words[9..17]);
        Some(key)
    }

    /// Offers `key` as the key of `date`; an earlier day never replaces a later one.
    pub(crate) fn put(&self, date: u32, key: &HmacKey) {
        let mut words = [0; 17];
        words[0] = date;
        words[1..9].copy_from_slice(&key.inner);
        words[9..17].copy_from_slice(&key.outer);
        self.0.write(&words, |current| current[0] <= date);
    }
}

/// What signing in one second needs beyond the day's key. `Debug` hides the midstates,
/// which are as good as the key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct SecondState {
    /// Seconds since the Unix epoch.
    pub(crate) second: i64,
    pub(crate) amz_date: AmzDate,
    /// The MAC's inner state after `key ^ ipad` and the prefix's whole blocks.
    inner: [u32; 8],
    /// Bytes the inner state has absorbed, the 64 of `key ^ ipad` included.
    inner_len: u64,
    /// The key's outer midstate.
    outer: [u32; 8],
}

impl core::fmt::Debug for SecondState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SecondState")
            .field("amz_date", &self.amz_date)
            .finish_non_exhaustive()
    }
}

impl SecondState {
    /// The state for `amz_date` (the time `second`), `key` and the scope.
    pub(crate) fn new(
        second: i64,
        amz_date: AmzDate,
        key: &HmacKey,
        region: &str,
        service: &str,
    ) -> Self {
        let mut mac = key.start();
        string_to_sign::write_prefix(&amz_date, region, service, &mut |p| mac.update(p));
        let (inner, inner_len) = mac.midstate();
        Self {
            second,
            amz_date,
            inner,
            inner_len,
            outer: key.outer,
        }
    }

    /// A MAC that has absorbed the key and the string to sign up to the hash.
    #[inline]
    pub(crate) fn start(&self, region: &str, service: &str) -> Sha256Stream {
        let mut mac = Sha256Stream::resume(self.inner, self.inner_len);
        let absorbed = usize::try_from(self.inner_len - 64).unwrap_or(usize::MAX);
        string_to_sign::write_prefix_after(absorbed, &self.amz_date, region, service, &mut |p| {
            mac.update(p)
        });
        mac
    }

    /// Ends a MAC begun with [`SecondState::start`].
    #[inline]
    pub(crate) fn finish(&self, mac: &mut Sha256Stream) -> [u8; 32] {
        HmacKey::finish_outer(&self.outer, mac)
    }
}

/// The [`SecondState`] of the most recent second.
#[derive(Default)]
pub(crate) struct SecondCache(SeqLock<24>);

impl SecondCache {
    /// The cached state if it is the one for `second`.
    #[inline]
    pub(crate) fn get(&self, second: i64) -> Option<SecondState> {
        let w = self.0.read()?;
        // An empty cache holds zeros, and inner_len is never 0 in a filled one.
        if order_key(second) != u64::from(w[0]) << 32 | u64::from(w[1]) || w[22] == 0 {
            return None;
        }
        let mut text = [0u8; 16];
        for (chunk, word) in text.chunks_exact_mut(4).zip(&w[2..6]) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        let mut state = SecondState {
            second,
            amz_date: AmzDate::from_bytes(text),
            inner: [0; 8],
            inner_len: u64::from(w[22]) | u64::from(w[23]) << 32,
            outer: [0; 8],
        };
        state.inner.copy_from_slice(&w[6..14]);
        state.outer.copy_from_slice(&w[14..22]);
        Some(state)
    }

    /// Offers `state`; an earlier second never replaces a later one.
    pub(crate) fn put(&self, state: &SecondState) {
        let key = order_key(state.second);
        let mut w = [0u32; 24];
        w[0] = (key >> 32) as u32;
        w[1] = key as u32;
        for (word, chunk) in w[2..6]
            .iter_mut()
            .zip(state.amz_date.as_bytes().chunks_exact(4))
        {
            *word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        w[6..14].copy_from_slice(&state.inner);
        w[14..22].copy_from_slice(&state.outer);
        w[22] = state.inner_len as u32;
        w[23] = (state.inner_len >> 32) as u32;
        self.0.write(&w, |current| {
            u64::from(current[0]) << 32 | u64::from(current[1]) <= key
        });
    }
}

/// `second` as an unsigned number in the same order.
fn order_key(second: i64) -> u64 {
    (second as u64) ^ (1 << 63)
}

#[cfg(target_has_atomic = "32")]
pub(crate) use seqlock::SeqLock;

#[cfg(target_has_atomic = "32")]
mod seqlock {
    use core::sync::atomic::{AtomicU32, Ordering, fence};

    /// `N` words behind a sequence lock: a writer makes `seq` odd, stores the words, then
    /// makes `seq` even again; a reader copies the words and keeps them only if `seq` was
    /// even and unchanged around the copy.
    pub(crate) struct SeqLock<const N: usize> {
        seq: AtomicU32,
        words: [AtomicU32; N],
    }

    impl<const N: usize> Default for SeqLock<N> {
        fn default() -> Self {
            Self {
                seq: AtomicU32::new(0),
                words: core::array::from_fn(|_| AtomicU32::new(0)),
            }
        }
    }

    impl<const N: usize> SeqLock<N> {
        /// A consistent copy of the words, or `None` while a writer is at work.
        #[inline]
        pub(crate) fn read(&self) -> Option<[u32; N]> {
            let before = self.seq.load(Ordering::Acquire);
            if before & 1 == 1 {
                return None;
            }
            let mut words = [0; N];
            for (word, atomic) in words.iter_mut().zip(&self.words) {
                *word = atomic.load(Ordering::Relaxed);
            }
            fence(Ordering::Acquire);
            (self.seq.load(Ordering::Relaxed) == before).then_some(words)
        }

        /// Stores `words` if no other writer is at work and `replaces` accepts the words
        /// in place.
        pub(crate) fn write(&self, words: &[u32; N], replaces: impl FnOnce(&[u32; N]) -> bool) {
            let seq = self.seq.load(Ordering::Relaxed);
            if seq & 1 == 1
                || self
                    .seq
                    .compare_exchange(
                        seq,
                        seq.wrapping_add(1),
                        Ordering::Acquire,
                        Ordering::Relaxed,
                    )
                    .is_err()
            {
                return;
            }
            fence(Ordering::Release);
            let mut current = [0; N];
            for (word, atomic) in current.iter_mut().zip(&self.words) {
                *word = atomic.load(Ordering::Relaxed);
            }
            if replaces(&current) {
                for (atomic, word) in self.words.iter().zip(words) {
                    atomic.store(*word, Ordering::Relaxed);
                }
                self.seq.store(seq.wrapping_add(2), Ordering::Release);
            } else {
                // Nothing changed: the old sequence number stands.
                self.seq.store(seq, Ordering::Release);
            }
        }
    }
}

#[cfg(not(target_has_atomic = "32"))]
mod seqlock {
    /// On targets without 32-bit atomics nothing is cached: every read misses.
    pub(crate) struct SeqLock<const N: usize>;

    impl<const N: usize> Default for SeqLock<N> {
        fn default() -> Self {
            Self
        }
    }

    impl<const N: usize> SeqLock<N> {
        pub(crate) fn read(&self) -> Option<[u32; N]> {
            None
        }

        pub(crate) fn write(&self, _words: &[u32; N], _replaces: impl FnOnce(&[u32; N]) -> bool) {}
    }
}

#[cfg(not(target_has_atomic = "32"))]
pub(crate) use seqlock::SeqLock;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::signing_key::SigningKey;

    fn key(day: time::Date) -> HmacKey {
        let creds = Credentials::new("A", "s").unwrap();
        SigningKey::derive(&creds, day, "us-east-1", "s3")
            .unwrap()
            .prepare()
    }

    #[test]
    fn key_cache_keeps_the_latest_day() {
        let (k1, k2) = (
            key(time::macros::date!(2015 - 08 - 30)),
            key(time::macros::date!(2015 - 08 - 31)),
        );
        let cache = KeyCache::default();
        assert_eq!(cache.get(20150830), None);
        cache.put(20150830, &k1);
        assert_eq!(cache.get(20150830), Some(k1));
        assert_eq!(cache.get(20150831), None);
        cache.put(20150831, &k2);
        assert_eq!(cache.get(20150831), Some(k2));
        assert_eq!(cache.get(20150830), None);
        // An older day never replaces a newer one.
        cache.put(20150830, &k1);
        assert_eq!(cache.get(20150831), Some(k2));
    }

    #[test]
    fn second_cache_keeps_the_latest_second_and_signs_as_without_it() {
        let k = key(time::macros::date!(1970 - 01 - 01));
        let state = |second: i64| {
            let t = time::OffsetDateTime::from_unix_timestamp(second).unwrap();
            SecondState::new(second, AmzDate::new(t).unwrap(), &k, "us-east-1", "s3")
        };
        let cache = SecondCache::default();
        // Second 0 (the epoch) is a real second: an empty cache must not claim it.
        assert_eq!(cache.get(0), None);
        let (s0, s1, before) = (state(0), state(1), state(-1));
        cache.put(&s0);
        assert_eq!(cache.get(0), Some(s0));
        assert_eq!(cache.get(1), None);
        cache.put(&s1);
        assert_eq!(cache.get(1), Some(s1));
        cache.put(&before);
        assert_eq!(
            cache.get(1),
            Some(s1),
            "an earlier second never replaces a later one"
        );
        assert_eq!(cache.get(-1), None);

        // Resuming from the cached state gives the MAC of the whole string to sign.
        let hash = [0xabu8; 32];
        let mut resumed = s1.start("us-east-1", "s3");
        resumed.update(&crate::digest::hex_digits(&hash));
        let mut whole = k.start();
        crate::string_to_sign::StringToSign {
            amz_date: &s1.amz_date,
            region: "us-east-1",
            service: "s3",
            canonical_request_hash: &hash,
        }
        .write(&mut |p| whole.update(p));
        assert_eq!(s1.finish(&mut resumed), k.finish(&mut whole));
        assert_eq!(s1.amz_date.as_str(), "19700101T000001Z");
    }

    #[test]
    fn second_state_for_every_prefix_length() {
        // Short and long scopes: the prefix may hold no whole block, one, or several.
        let k = key(time::macros::date!(2024 - 01 - 01));
        let t = time::macros::datetime!(2024-01-01 12:00 UTC);
        let long = "x".repeat(100);
        for (region, service) in [("a", "b"), ("us-east-1", "s3"), (long.as_str(), "s3")] {
            let amz_date = AmzDate::new(t).unwrap();
            let state = SecondState::new(t.unix_timestamp(), amz_date, &k, region, service);
            let mut resumed = state.start(region, service);
            resumed.update(b"tail");
            let mut whole = k.start();
            string_to_sign::write_prefix(&amz_date, region, service, &mut |p| whole.update(p));
            whole.update(b"tail");
            assert_eq!(state.finish(&mut resumed), k.finish(&mut whole), "{region}");
        }
    }

    #[test]
    fn debug_hides_the_midstates() {
        let k = key(time::macros::date!(2015 - 08 - 30));
        let t = time::macros::datetime!(2015-08-30 12:00 UTC);
        let state = SecondState::new(0, AmzDate::new(t).unwrap(), &k, "r", "s");
        let shown = alloc::format!("{state:?}");
        assert!(
            !shown.contains("inner") && !shown.contains("outer"),
            "{shown}"
        );
    }
}
