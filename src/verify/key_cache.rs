//! The signing keys a verifier has derived, kept for the next request of the same key on
//! the same day (with `std`; without it, every request derives its key).

#[cfg(feature = "std")]
use std::collections::{HashMap, VecDeque};
#[cfg(feature = "std")]
use std::sync::{Mutex, PoisonError};

use crate::sigv4::{AmzDate, HmacKey};

/// How many derived keys a verifier keeps by default.
pub const DEFAULT_KEY_CACHE_SIZE: usize = 256;

/// What a derived key depends on: the secret (as its prepared `"AWS4"` + secret state),
/// the scope date, and the region (as its place in the verifier's list; the service is
/// the verifier's own).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct CacheKey {
    pub(crate) secret: HmacKey,
    pub(crate) date: [u8; 8],
    pub(crate) region: usize,
}

impl CacheKey {
    pub(crate) fn new(secret: HmacKey, date: &AmzDate, region: usize) -> Self {
        let mut day = [0u8; 8];
        day.copy_from_slice(&date.as_bytes()[..8]);
        Self {
            secret,
            date: day,
            region,
        }
    }
}

/// Hashes a few words rather than the whole key (the midstates are already as mixed as
/// SHA-256 makes them); equality still compares all of it.
impl core::hash::Hash for CacheKey {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        let secret = u64::from(self.secret.inner[0]) << 32 | u64::from(self.secret.outer[0]);
        state.write_u64(secret ^ u64::from_le_bytes(self.date));
        state.write_usize(self.region);
    }
}

/// At most `capacity` keys; the oldest gives way. `Debug` shows the sizes only.
///
/// SigV4 keys by default; with the `sigv4a` feature, also SigV4a public keys, by the
/// secret's prepared `"AWS4A"` key and the SHA-256 of the access key id.
pub(crate) struct KeyCache<K = CacheKey, V = HmacKey> {
    capacity: usize,
    #[cfg(feature = "std")]
    entries: Mutex<Entries<K, V>>,
    #[cfg(not(feature = "std"))]
    entries: core::marker::PhantomData<(K, V)>,
}

#[cfg(feature = "std")]
type Entries<K, V> = (HashMap<K, V>, VecDeque<K>);

impl<K: Copy + Eq + core::hash::Hash, V: Copy> KeyCache<K, V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            #[cfg(feature = "std")]
            entries: Mutex::new((HashMap::new(), VecDeque::new())),
            #[cfg(not(feature = "std"))]
            entries: core::marker::PhantomData,
        }
    }

    /// The key for `key`, from the cache or from `derive` (then kept).
    pub(crate) fn get_or_derive(&self, key: K, derive: impl FnOnce() -> V) -> V {
        match self.get_or_try_derive(key, || Ok::<V, core::convert::Infallible>(derive())) {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// The key for `key`, from the cache or from `derive` (kept when it succeeds).
    pub(crate) fn get_or_try_derive<E>(
        &self,
        key: K,
        derive: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        #[cfg(feature = "std")]
        if self.capacity > 0 {
            let found = self.lock().0.get(&key).copied();
            if let Some(found) = found {
                return Ok(found);
            }
            let derived = derive()?;
            let mut entries = self.lock();
            let (map, order) = &mut *entries;
            if map.insert(key, derived).is_none() {
                order.push_back(key);
                while order.len() > self.capacity {
                    if let Some(oldest) = order.pop_front() {
                        map.remove(&oldest);
                    }
                }
            }
            return Ok(derived);
        }
        let _ = (key, self.capacity);
        derive()
    }

    /// How many keys it holds.
    #[cfg(all(test, feature = "std"))]
    pub(crate) fn len(&self) -> usize {
        self.lock().0.len()
    }

    #[cfg(feature = "std")]
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<K, V>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }
}

impl<K, V> core::fmt::Debug for KeyCache<K, V> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyCache")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::sigv4::Credentials;
    use core::cell::Cell;

    #[test]
    fn keeps_at_most_its_capacity_and_derives_once() {
        let cache = KeyCache::new(2);
        let secret = |s: &str| *Credentials::new("A", s).unwrap().date_key();
        let date = AmzDate::parse("20240501T000000Z").unwrap();
        let derivations = Cell::new(0);
        let derive = || {
            derivations.set(derivations.get() + 1);
            secret("derived")
        };
        let a = CacheKey::new(secret("a"), &date, 0);
        let b = CacheKey::new(secret("b"), &date, 0);
        let c = CacheKey::new(secret("a"), &date, 1);
        for _ in 0..3 {
            cache.get_or_derive(a, derive);
        }
        assert_eq!(derivations.get(), 1);
        cache.get_or_derive(b, derive);
        cache.get_or_derive(c, derive);
        assert_eq!((derivations.get(), cache.len()), (3, 2));
        cache.get_or_derive(a, derive);
        assert_eq!(derivations.get(), 4, "the oldest gave way");
        let off = KeyCache::new(0);
        off.get_or_derive(a, derive);
        off.get_or_derive(a, derive);
        assert_eq!((derivations.get(), off.len()), (6, 0));
    }
}
