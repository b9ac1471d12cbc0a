//! Step 3 of the algorithm: the signing key.
//!
//! ```text
//! kDate    = HMAC-SHA256("AWS4" + secret, "20130524")
//! kRegion  = HMAC-SHA256(kDate, "us-east-1")
//! kService = HMAC-SHA256(kRegion, "s3")
//! kSigning = HMAC-SHA256(kService, "aws4_request")
//! ```
//!
//! The key depends on the date, not the time, so a presigner derives it once per day and
//! keeps it in a [`KeyCache`](crate::sigv4::cache::KeyCache).

use core::fmt;

use crate::sigv4::amz_date::AmzDate;
use crate::sigv4::credentials::Credentials;
use crate::sigv4::digest::HmacKey;
use crate::sigv4::scope::TERMINATOR;

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
    ) -> crate::error::Result<Self> {
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
        let k_date = credentials.date_key().mac(date.as_bytes());
        let k_region = HmacKey::new(&k_date).mac(region.as_bytes());
        let k_service = HmacKey::new(&k_region).mac(service.as_bytes());
        Self(HmacKey::new(&k_service).mac(TERMINATOR.as_bytes()))
    }

    /// The 32 key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// HMAC-SHA256 of `message` under this key: a SigV4 signature (before hex encoding)
    /// when `message` is a string to sign.
    pub fn sign(&self, message: &[u8]) -> [u8; 32] {
        self.prepare().mac(message)
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[cfg(feature = "std")]
    std::thread_local! {
        /// Key derivations made by this thread.
        pub(crate) static DERIVATIONS: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
    }

    #[test]
    fn signs_the_s3_documentation_example() {
        let creds = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap();
        let key = SigningKey::derive(
            &creds,
            time::macros::date!(2013 - 05 - 24),
            "us-east-1",
            "s3",
        )
        .unwrap();
        let string_to_sign = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\
                              3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04";
        assert_eq!(
            &crate::sigv4::hex::encode_32(&key.sign(string_to_sign.as_bytes()))[..],
            b"aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
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
