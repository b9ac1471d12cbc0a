//! The instants the crate takes: a [`time::OffsetDateTime`] in any offset, and with
//! `std`, a [`std::time::SystemTime`] (the type `chrono` and `jiff` convert to and from).

use time::OffsetDateTime;

#[cfg(feature = "std")]
use crate::error::Error;
use crate::error::Result;

/// A point in time to sign at, or to check a request against: an [`OffsetDateTime`] (in
/// any offset) or, with `std`, a [`std::time::SystemTime`]. `chrono` and `jiff` values
/// convert to `SystemTime` with `From`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sigv4_presign::{Credentials, PresignRequest, Presigner};
///
/// let presigner = Presigner::new(Credentials::new("AKID", "secret")?, "us-east-1", "s3")?;
/// let request = PresignRequest::get("https://bucket.s3.amazonaws.com/key");
///
/// // 2024-05-01T12:00:00Z as a SystemTime; `SystemTime::now()` in a service.
/// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_564_800);
/// let signed = presigner.presign(&request, at)?;
/// assert!(signed.url().contains("X-Amz-Date=20240501T120000Z"));
///
/// // The same instant as an OffsetDateTime, in another offset: the same URL.
/// let paris = time::macros::datetime!(2024-05-01 14:00 +02:00);
/// assert_eq!(presigner.presign(&request, paris)?.url(), signed.url());
///
/// // chrono:  presigner.presign(&request, SystemTime::from(Utc::now()))
/// // jiff:    presigner.presign(&request, SystemTime::from(Timestamp::now()))
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
pub trait Timestamp {
    /// The instant as an [`OffsetDateTime`]; [`Error::TimeOutOfRange`](crate::Error::TimeOutOfRange) for one `time`
    /// cannot represent (beyond the years -9999 to 9999).
    fn to_offset_date_time(&self) -> Result<OffsetDateTime>;
}

impl Timestamp for OffsetDateTime {
    #[inline]
    fn to_offset_date_time(&self) -> Result<OffsetDateTime> {
        Ok(*self)
    }
}

#[cfg(feature = "std")]
impl Timestamp for std::time::SystemTime {
    fn to_offset_date_time(&self) -> Result<OffsetDateTime> {
        // `OffsetDateTime::from(SystemTime)` panics out of range; this refuses instead.
        let (seconds, nanos, after_epoch) = match self.duration_since(std::time::UNIX_EPOCH) {
            Ok(since) => (since.as_secs(), since.subsec_nanos(), true),
            Err(before) => (
                before.duration().as_secs(),
                before.duration().subsec_nanos(),
                false,
            ),
        };
        let seconds = i64::try_from(seconds).map_err(|_| Error::TimeOutOfRange)?;
        let instant = if after_epoch {
            OffsetDateTime::from_unix_timestamp(seconds)
                .ok()
                .and_then(|t| t.checked_add(time::Duration::nanoseconds(i64::from(nanos))))
        } else {
            OffsetDateTime::from_unix_timestamp(-seconds)
                .ok()
                .and_then(|t| t.checked_sub(time::Duration::nanoseconds(i64::from(nanos))))
        };
        instant.ok_or(Error::TimeOutOfRange)
    }
}

impl<T: Timestamp + ?Sized> Timestamp for &T {
    #[inline]
    fn to_offset_date_time(&self) -> Result<OffsetDateTime> {
        (**self).to_offset_date_time()
    }
}

/// `instant` as a [`std::time::SystemTime`]; `None` where the platform's `SystemTime`
/// cannot hold it (Windows' starts in 1601).
#[cfg(feature = "std")]
pub(crate) fn to_system_time(instant: OffsetDateTime) -> Option<std::time::SystemTime> {
    let nanos = instant.unix_timestamp_nanos();
    let magnitude = core::time::Duration::new(
        u64::try_from(nanos.unsigned_abs() / 1_000_000_000).ok()?,
        (nanos.unsigned_abs() % 1_000_000_000) as u32,
    );
    if nanos >= 0 {
        std::time::UNIX_EPOCH.checked_add(magnitude)
    } else {
        std::time::UNIX_EPOCH.checked_sub(magnitude)
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};
    use time::macros::datetime;

    fn instant_of(at: SystemTime) -> OffsetDateTime {
        at.to_offset_date_time().unwrap()
    }

    #[test]
    fn system_times_convert_both_ways() {
        let at = UNIX_EPOCH + Duration::new(1_714_564_800, 250);
        let instant = at.to_offset_date_time().unwrap();
        assert_eq!(instant, datetime!(2024-05-01 12:00:00.000_000_250 UTC));
        assert_eq!(to_system_time(instant), Some(at));
        let before = UNIX_EPOCH - Duration::new(86_400, 5);
        let instant = before.to_offset_date_time().unwrap();
        assert_eq!(instant, datetime!(1969-12-30 23:59:59.999_999_995 UTC));
        assert_eq!(to_system_time(instant), Some(before));
        let by_reference: &dyn Fn(&SystemTime) -> Result<OffsetDateTime> =
            &|t| Timestamp::to_offset_date_time(&t);
        assert_eq!(by_reference(&at).unwrap(), instant_of(at));
    }

    #[test]
    fn out_of_range_is_an_error_not_a_panic() {
        let far = UNIX_EPOCH + Duration::from_secs(400_000_000_000);
        assert!(matches!(
            far.to_offset_date_time(),
            Err(Error::TimeOutOfRange)
        ));
        if let Some(huge) = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(u64::MAX / 2)) {
            assert!(matches!(
                huge.to_offset_date_time(),
                Err(Error::TimeOutOfRange)
            ));
        }
        let long_ago = UNIX_EPOCH - Duration::from_secs(400_000_000_000);
        assert!(matches!(
            long_ago.to_offset_date_time(),
            Err(Error::TimeOutOfRange)
        ));
    }
}
