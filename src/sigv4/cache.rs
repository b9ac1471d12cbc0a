//! What a presigner keeps between signatures, shared by every thread that signs with it and
//! read without a lock.
//!
//! - [`KeyCache`]: the signing key of the most recent day, as its two HMAC midstates. The
//!   key depends on the date only, so it is derived (four HMACs) once a day.
//! - [`SecondCache`]: what the most recent second adds: the `X-Amz-Date` text and the
//!   MAC's state after the key and the whole blocks of the string to sign's prefix (which
//!   depends only on the second and the scope; one block for usual scopes). Signing in a
//!   second already seen costs one SHA-256 compression less.
//!
//! Both are sequence locks made of atomics only ([`SeqLock`]). A reader never waits: on a
//! miss or a race it computes the value itself and offers it. An offer replaces an older
//! entry, and one so much newer (a day, or a few seconds) that it was not made for the
//! present time; a writer that finds another writer busy, or the entry already as
//! wanted, gives up without writing.

use crate::sigv4::amz_date::AmzDate;
use crate::sigv4::digest::{HmacKey, Sha256Stream};
use crate::sigv4::hex;
use crate::sigv4::string_to_sign;

/// The prepared signing key of the most recent day.
#[derive(Default)]
pub(crate) struct KeyCache(SeqLock<18>);

impl KeyCache {
    /// The cached key if it is the one for `day` (days since the Unix epoch, in UTC).
    #[inline]
    pub(crate) fn get(&self, day: i64) -> Option<HmacKey> {
        let words = self.0.read()?;
        if stored_key(&words) != order_key(day) {
            return None;
        }
        let mut key = HmacKey {
            inner: [0; 8],
            outer: [0; 8],
        };
        key.inner.copy_from_slice(&words[2..10]);
        key.outer.copy_from_slice(&words[10..18]);
        Some(key)
    }

    /// Offers `key` as the key of `day`: it replaces an earlier day, or one more than a
    /// day later (a key made for another time than now).
    pub(crate) fn put(&self, day: i64, key: &HmacKey) {
        let mut words = [0; 18];
        store_key(&mut words, order_key(day));
        words[2..10].copy_from_slice(&key.inner);
        words[10..18].copy_from_slice(&key.outer);
        self.0.write(&words, |current| {
            replaces(stored_key(current), order_key(day), 1)
        });
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
        let absorbed = usize::try_from(self.inner_len.saturating_sub(64)).unwrap_or(usize::MAX);
        string_to_sign::write_prefix_after(absorbed, &self.amz_date, region, service, &mut |p| {
            mac.update(p)
        });
        mac
    }

    /// The signature, in hex, of a canonical request whose hash is
    /// `canonical_request_hash`: the MAC of the string to sign, resumed from this state.
    pub(crate) fn signature(
        &self,
        canonical_request_hash: &[u8; 32],
        region: &str,
        service: &str,
    ) -> [u8; 64] {
        let mut mac = self.start(region, service);
        mac.update(&hex::encode_32(canonical_request_hash));
        hex::encode_32(&self.finish(&mut mac))
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
        if stored_key(&w) != order_key(second) {
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

    /// Offers `state`: it replaces an earlier second, or one more than two seconds later
    /// (made for another time than now).
    pub(crate) fn put(&self, state: &SecondState) {
        let key = order_key(state.second);
        let mut w = [0u32; 24];
        store_key(&mut w, key);
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
        self.0
            .write(&w, |current| replaces(stored_key(current), key, 2));
    }
}

/// `n` (a day or a second) as an unsigned number in the same order, never 0: an empty
/// cache, all zeros, holds no entry.
fn order_key(n: i64) -> u64 {
    ((n as u64) ^ (1 << 63)).max(1)
}

/// The order key in a cache's first two words.
fn stored_key(words: &[u32]) -> u64 {
    u64::from(words[0]) << 32 | u64::from(words[1])
}

fn store_key(words: &mut [u32], key: u64) {
    words[0] = (key >> 32) as u32;
    words[1] = key as u32;
}

/// Whether an offer for `offered` replaces the entry for `current`: when it is later, or
/// when the entry is later by more than `slack` (made for another time than now). Within
/// the slack the later entry stays, so that threads reading the clock on either side of a
/// boundary do not take turns replacing each other's entries.
fn replaces(current: u64, offered: u64, slack: u64) -> bool {
    offered > current || current - offered > slack
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
        /// in place. It looks before it locks, so an offer that changes nothing never
        /// writes to the shared cache line.
        pub(crate) fn write(&self, words: &[u32; N], replaces: impl Fn(&[u32; N]) -> bool) {
            let seq = self.seq.load(Ordering::Relaxed);
            if seq & 1 == 1 || !self.read().is_some_and(|current| replaces(&current)) {
                return;
            }
            if self
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

        pub(crate) fn write(&self, _words: &[u32; N], _replaces: impl Fn(&[u32; N]) -> bool) {}
    }
}

#[cfg(not(target_has_atomic = "32"))]
pub(crate) use seqlock::SeqLock;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigv4::credentials::Credentials;
    use crate::sigv4::signing_key::SigningKey;

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
        let (d1, d2) = (16_677, 16_678);
        let cache = KeyCache::default();
        assert_eq!(cache.get(d1), None);
        cache.put(d1, &k1);
        assert_eq!(cache.get(d1), Some(k1));
        assert_eq!(cache.get(d2), None);
        cache.put(d2, &k2);
        assert_eq!(cache.get(d2), Some(k2));
        assert_eq!(cache.get(d1), None);
        // The day before does not replace the latest day...
        cache.put(d1, &k1);
        assert_eq!(cache.get(d2), Some(k2));
        // ...but a day made for a time far from now (a key signed for next week) does
        // not stay in the way of today's.
        cache.put(d2 + 7, &k1);
        cache.put(d2, &k2);
        assert_eq!(cache.get(d2), Some(k2));
        // Day 0 (1970-01-01) and earlier days are days like any other.
        let empty = KeyCache::default();
        assert_eq!(empty.get(0), None);
        empty.put(0, &k1);
        assert_eq!(empty.get(0), Some(k1));
        empty.put(-1, &k2);
        assert_eq!(empty.get(0), Some(k1));
    }

    #[test]
    fn replacing_rules() {
        assert!(replaces(0, 1, 2), "an empty cache takes anything");
        assert!(replaces(5, 6, 2), "a later entry");
        assert!(!replaces(6, 6, 2), "the same entry is not written again");
        assert!(!replaces(6, 5, 2) && !replaces(7, 5, 2), "within the slack");
        assert!(replaces(8, 5, 2), "an entry for another time");
    }

    /// Readers never see a mix of two writes, however the threads interleave.
    #[cfg(feature = "std")]
    #[test]
    fn seqlock_readers_never_see_torn_words() {
        extern crate std;
        use core::sync::atomic::{AtomicUsize, Ordering};
        let lock = SeqLock::<24>::default();
        let writers_done = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for writer in 0..2u32 {
                let (lock, writers_done) = (&lock, &writers_done);
                scope.spawn(move || {
                    for k in 1..50_000u32 {
                        let k = k * 2 + writer;
                        lock.write(&[k; 24], |current| current[0] != k);
                    }
                    writers_done.fetch_add(1, Ordering::Relaxed);
                });
            }
            let (mut consistent, mut distinct, mut last) = (0u32, 0u32, 0u32);
            while writers_done.load(Ordering::Relaxed) < 2 {
                if let Some(words) = lock.read() {
                    assert!(words.iter().all(|&w| w == words[0]), "torn: {words:?}");
                    consistent += 1;
                    if words[0] != last {
                        distinct += 1;
                        last = words[0];
                    }
                }
            }
            assert!(
                consistent > 0 && distinct > 0,
                "{consistent} reads, {distinct} values"
            );
        });
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
            "a slightly earlier second does not replace"
        );
        assert_eq!(cache.get(-1), None);
        cache.put(&state(60));
        cache.put(&s1);
        assert_eq!(cache.get(1), Some(s1), "an entry a minute ahead gives way");

        // Resuming from the cached state gives the MAC of the whole string to sign.
        let hash = [0xabu8; 32];
        let mut resumed = s1.start("us-east-1", "s3");
        resumed.update(&crate::sigv4::hex::encode_32(&hash));
        let mut whole = k.start();
        crate::sigv4::string_to_sign::StringToSign {
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
        assert_eq!(
            shown,
            "SecondState { amz_date: AmzDate(20150830T120000Z), .. }"
        );
    }
}
