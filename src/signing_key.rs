//! Step 3 of the algorithm: the signing key, and its cache.
//!
//! ```text
//! kDate    = HMAC-SHA256("AWS4" + secret, "20130524")
//! kRegion  = HMAC-SHA256(kDate, "us-east-1")
//! kService = HMAC-SHA256(kRegion, "s3")
//! kSigning = HMAC-SHA256(kService, "aws4_request")
//! ```
//!
//! The key depends on the date, not the time, so a presigner derives it once per day and
//! keeps it in a [`KeyCache`] that readers consult without taking a lock.

use core::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::amz_date::AmzDate;
use crate::credentials::Credentials;
use crate::digest::HmacKey;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `message` under `key`.
pub(crate) fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = new_mac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// An HMAC-SHA256 keyed with `key`.
#[inline]
pub(crate) fn new_mac(key: &[u8]) -> HmacSha256 {
    <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes keys of any length") // infallible
}

/// A SigV4 signing key (kSigning) for one scope: a date, a region and a service.
///
/// Most users never touch it: a [`Presigner`](crate::Presigner) derives and caches it. It is
/// public for those who sign something else with the same scope (a POST policy, say).
/// `Debug` does not show the key.
///
/// ```
/// use sigv4_presign::{Credentials, SigningKey};
///
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
/// let key = SigningKey::derive(&creds, time::macros::date!(2015-08-30), "us-east-1", "iam")?;
/// // The key of AWS's documented derivation example:
/// assert_eq!(
///     hex::encode(key.as_bytes()),
///     "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
/// );
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    /// Derives the key for the UTC `date`, `region` and `service`.
    ///
    /// Errors: [`Error::TimeOutOfRange`](crate::Error::TimeOutOfRange) outside the years
    /// 0000 to 9999.
    pub fn derive(
        credentials: &Credentials,
        date: time::Date,
        region: &str,
        service: &str,
    ) -> crate::Result<Self> {
        let date = AmzDate::new(date.midnight().assume_utc())?;
        Ok(Self::derive_for(credentials, &date, region, service))
    }

    /// Derives the key for the day of `date`.
    pub(crate) fn derive_for(
        credentials: &Credentials,
        date: &AmzDate,
        region: &str,
        service: &str,
    ) -> Self {
        let date = date.date();
        #[cfg(all(test, feature = "std"))]
        tests::DERIVATIONS.with(|n| n.set(n.get() + 1));
        let k_date = hmac(credentials.prefixed_secret(), date.as_bytes());
        let k_region = hmac(&k_date, region.as_bytes());
        let k_service = hmac(&k_region, service.as_bytes());
        Self(hmac(&k_service, b"aws4_request"))
    }

    /// The 32 key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// HMAC-SHA256 of `message` under this key: a SigV4 signature (before hex encoding)
    /// when `message` is a string to sign.
    pub fn sign(&self, message: &[u8]) -> [u8; 32] {
        hmac(&self.0, message)
    }

    /// The key prepared for HMAC: its two midstates, which the cache keeps.
    pub(crate) fn prepare(&self) -> HmacKey {
        HmacKey::new(&self.0)
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

pub(crate) use cache::KeyCache;

#[cfg(target_has_atomic = "32")]
mod cache {
    use core::sync::atomic::{AtomicU32, Ordering, fence};

    use crate::digest::HmacKey;

    /// The prepared signing key (its two HMAC midstates) of the most recent date, shared by
    /// every thread that signs with one presigner, read without a lock.
    ///
    /// It is a sequence lock built from atomics only: a writer makes `seq` odd, stores the
    /// date and the key words, then makes `seq` even again; a reader copies the words and
    /// keeps them only if `seq` was even and unchanged around the copy. A reader never
    /// waits: on a miss or a race it derives the key itself (four HMACs) and offers it to
    /// the cache, where a writer that finds another writer busy simply gives up.
    #[derive(Default)]
    pub(crate) struct KeyCache {
        seq: AtomicU32,
        /// `YYYYMMDD` as a number; 0 (no valid date) when empty.
        date: AtomicU32,
        /// The inner then the outer midstate.
        words: [AtomicU32; 16],
    }

    impl KeyCache {
        /// The cached key if it is the one for `date`.
        #[inline]
        pub(crate) fn get(&self, date: u32) -> Option<HmacKey> {
            let before = self.seq.load(Ordering::Acquire);
            if before & 1 == 1 {
                return None;
            }
            let cached_date = self.date.load(Ordering::Relaxed);
            let mut key = HmacKey {
                inner: [0; 8],
                outer: [0; 8],
            };
            let (inner, outer) = self.words.split_at(8);
            for (word, atomic) in key.inner.iter_mut().zip(inner) {
                *word = atomic.load(Ordering::Relaxed);
            }
            for (word, atomic) in key.outer.iter_mut().zip(outer) {
                *word = atomic.load(Ordering::Relaxed);
            }
            fence(Ordering::Acquire);
            let after = self.seq.load(Ordering::Relaxed);
            (before == after && cached_date == date).then_some(key)
        }

        /// Stores `key` as the key of `date`, unless another thread is storing right now or
        /// the cache already holds a later day.
        pub(crate) fn put(&self, date: u32, key: &HmacKey) {
            let seq = self.seq.load(Ordering::Relaxed);
            if seq & 1 == 1
                || self.date.load(Ordering::Relaxed) > date
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
            self.date.store(date, Ordering::Relaxed);
            for (atomic, word) in self.words.iter().zip(key.inner.iter().chain(&key.outer)) {
                atomic.store(*word, Ordering::Relaxed);
            }
            self.seq.store(seq.wrapping_add(2), Ordering::Release);
        }
    }
}

#[cfg(not(target_has_atomic = "32"))]
mod cache {
    use crate::digest::HmacKey;

    /// On targets without 32-bit atomics the key is derived on every call.
    #[derive(Default)]
    pub(crate) struct KeyCache;

    impl KeyCache {
        pub(crate) fn get(&self, _date: u32) -> Option<HmacKey> {
            None
        }
        pub(crate) fn put(&self, _date: u32, _key: &HmacKey) {}
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[cfg(feature = "std")]
    std::thread_local! {
        /// Key derivations made by this thread.
        pub(crate) static DERIVATIONS: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
    }

    #[test]
    fn cache_round_trip() {
        let creds = Credentials::new("A", "s").unwrap();
        let k1 = SigningKey::derive(
            &creds,
            time::macros::date!(2015 - 08 - 30),
            "us-east-1",
            "s3",
        )
        .unwrap();
        let k2 = SigningKey::derive(
            &creds,
            time::macros::date!(2015 - 08 - 31),
            "us-east-1",
            "s3",
        )
        .unwrap();
        assert_ne!(k1, k2);
        let (k1, k2) = (k1.prepare(), k2.prepare());
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
    fn debug_hides_key() {
        let creds = Credentials::new("A", "s").unwrap();
        let k = SigningKey::derive(
            &creds,
            time::macros::date!(2015 - 08 - 30),
            "us-east-1",
            "s3",
        )
        .unwrap();
        assert_eq!(alloc::format!("{k:?}"), "SigningKey(<redacted>)");
    }
}
