//! The signing time as SigV4 writes it: `YYYYMMDD'T'HHMMSS'Z'` in UTC (ISO 8601 basic),
//! and the RFC 3339 form that messages, JSON and command lines use.

use core::fmt;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::error::{Error, Result};

/// A signing time in SigV4's format, e.g. `20130524T000000Z`; its first eight bytes are the
/// scope date `20130524`.
///
/// ```
/// use sigv4_presign::sigv4::AmzDate;
/// use time::macros::datetime;
///
/// let date = AmzDate::new(datetime!(2013-05-24 2:00 +2))?;
/// assert_eq!(date.as_str(), "20130524T000000Z");
/// assert_eq!(date.date(), "20130524");
/// assert_eq!(AmzDate::parse("20130524T000000Z")?, date);
/// assert_eq!(date.to_offset_date_time(), datetime!(2013-05-24 0:00 UTC));
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AmzDate {
    text: [u8; 16],
}

impl AmzDate {
    /// Writes `time` in UTC.
    ///
    /// Errors: [`Error::TimeOutOfRange`] outside the years 0000 to 9999.
    pub fn new(time: OffsetDateTime) -> Result<Self> {
        let utc = time
            .checked_to_offset(UtcOffset::UTC)
            .ok_or(Error::TimeOutOfRange)?;
        let year = utc.year();
        if !(0..=9999).contains(&year) {
            return Err(Error::TimeOutOfRange);
        }
        let mut text = *b"00000000T000000Z";
        put(&mut text[0..4], year as u32);
        put(&mut text[4..6], u32::from(u8::from(utc.month())));
        put(&mut text[6..8], u32::from(utc.day()));
        put(&mut text[9..11], u32::from(utc.hour()));
        put(&mut text[11..13], u32::from(utc.minute()));
        put(&mut text[13..15], u32::from(utc.second()));
        Ok(Self { text })
    }

    /// Reads `YYYYMMDD'T'HHMMSS'Z'` exactly (the form of `X-Amz-Date`).
    ///
    /// Errors: [`Error::InvalidTimestamp`] for any other text or an impossible date.
    pub fn parse(text: &str) -> Result<Self> {
        Self::parse_instant(text).map(|(date, _)| date)
    }

    /// [`AmzDate::parse`], with the instant it names.
    pub(crate) fn parse_instant(text: &str) -> Result<(Self, OffsetDateTime)> {
        let b = text.as_bytes();
        let shaped = b.len() == 16
            && b[8] == b'T'
            && b[15] == b'Z'
            && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit);
        if !shaped {
            return Err(invalid_timestamp(text));
        }
        let mut date = Self { text: [0; 16] };
        date.text.copy_from_slice(b);
        // Only real dates and times: the text must name one.
        let instant = date
            .checked_instant()
            .ok_or_else(|| invalid_timestamp(text))?;
        Ok((date, instant))
    }

    /// The time `text` names, as [`AmzDate::as_bytes`] gave it.
    pub(crate) fn from_bytes(text: [u8; 16]) -> Self {
        Self { text }
    }

    /// `YYYYMMDDTHHMMSSZ`, as bytes.
    pub(crate) fn as_bytes(&self) -> &[u8; 16] {
        &self.text
    }

    /// `YYYYMMDDTHHMMSSZ`.
    pub fn as_str(&self) -> &str {
        // The text is ASCII digits, `T` and `Z` by construction.
        core::str::from_utf8(&self.text).unwrap_or_default()
    }

    /// The scope date `YYYYMMDD`.
    pub fn date(&self) -> &str {
        self.as_str().get(..8).unwrap_or_default()
    }

    /// The instant, in UTC.
    pub fn to_offset_date_time(&self) -> OffsetDateTime {
        // Every `AmzDate` was made from an instant or checked to name one.
        self.checked_instant().unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    fn checked_instant(&self) -> Option<OffsetDateTime> {
        let n = |range: core::ops::Range<usize>| {
            self.text[range]
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
        };
        let month = Month::try_from(n(4..6) as u8).ok()?;
        let date = Date::from_calendar_date(n(0..4) as i32, month, n(6..8) as u8).ok()?;
        let clock = Time::from_hms(n(9..11) as u8, n(11..13) as u8, n(13..15) as u8).ok()?;
        Some(PrimitiveDateTime::new(date, clock).assume_utc())
    }
}

impl fmt::Debug for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AmzDate({})", self.as_str())
    }
}

impl fmt::Display for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads a timestamp as SigV4 writes it (`20130524T000000Z`, UTC) or as RFC 3339 writes
/// it (`2013-05-24T00:00:00Z`, with optional fractional seconds and any offset).
///
/// ```
/// use sigv4_presign::sigv4::parse_timestamp;
/// use time::macros::datetime;
///
/// assert_eq!(parse_timestamp("2013-05-24T00:00:00Z")?, datetime!(2013-05-24 0:00 UTC));
/// assert_eq!(parse_timestamp("20130524T000000Z")?, datetime!(2013-05-24 0:00 UTC));
/// assert_eq!(parse_timestamp("2013-05-24T02:00:00+02:00")?, datetime!(2013-05-24 0:00 UTC));
/// assert!(parse_timestamp("2013-05-24 00:00").is_err());
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
///
/// Errors: [`Error::InvalidTimestamp`].
pub fn parse_timestamp(text: &str) -> Result<OffsetDateTime> {
    match crate::rfc3339::Rfc3339::parse(text) {
        Some(instant) => Ok(instant),
        None => AmzDate::parse(text).map(|date| date.to_offset_date_time()),
    }
}

fn invalid_timestamp(text: &str) -> Error {
    Error::InvalidTimestamp {
        value: text.chars().take(40).collect(),
    }
}

/// Writes `n` as exactly `out.len()` decimal digits.
fn put(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use time::macros::datetime;

    #[test]
    fn formats_in_utc() {
        let d = AmzDate::new(datetime!(2013-05-24 0:00 UTC)).unwrap();
        assert_eq!(d.as_str(), "20130524T000000Z");
        assert_eq!(d.date(), "20130524");
        let d = AmzDate::new(datetime!(2015-08-30 14:36:59.9 +2)).unwrap();
        assert_eq!(d.as_str(), "20150830T123659Z");
        assert_eq!(d.to_string(), "20150830T123659Z");
        assert_eq!(alloc::format!("{d:?}"), "AmzDate(20150830T123659Z)");
        let d = AmzDate::new(datetime!(0000-01-01 0:00 +1)).unwrap_err();
        assert_eq!(d, Error::TimeOutOfRange);
        assert!(AmzDate::new(datetime!(9999-12-31 23:59:59 UTC)).is_ok());
        assert!(AmzDate::new(datetime!(0000-01-01 0:00 UTC)).is_ok());
    }

    #[test]
    fn parses_exactly_the_basic_form() {
        for good in [
            "20130524T000000Z",
            "99991231T235959Z",
            "00000101T000000Z",
            "20240229T120000Z",
        ] {
            let date = AmzDate::parse(good).unwrap();
            assert_eq!(date.as_str(), good);
            assert_eq!(AmzDate::new(date.to_offset_date_time()), Ok(date));
        }
        for bad in [
            "",
            "20130524T000000",
            "20130524T000000z",
            "20130524 000000Z",
            "2013052XT000000Z",
            "20131324T000000Z",
            "20130230T000000Z",
            "20230229T000000Z",
            "20130524T240000Z",
            "20130524T236000Z",
            "20130524T235960Z",
            "20130524T000000Z ",
            "+0130524T000000Z",
        ] {
            assert!(
                matches!(AmzDate::parse(bad), Err(Error::InvalidTimestamp { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn timestamps_in_both_forms() {
        let t = datetime!(2013-05-24 13:14:15 UTC);
        assert_eq!(parse_timestamp("20130524T131415Z"), Ok(t));
        assert_eq!(parse_timestamp("2013-05-24T13:14:15Z"), Ok(t));
        assert_eq!(parse_timestamp("2013-05-24T15:14:15+02:00"), Ok(t));
        for bad in [
            "2013-05-24T13:14:15",
            "2013/05/24T13:14:15Z",
            "2013-13-24T13:14:15Z",
            "é013-05-24T13:14:15Z",
            "2013-05-2-T13:14:15Z",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?}");
        }
        let message = parse_timestamp("yesterday").unwrap_err().to_string();
        assert!(message.contains("\"yesterday\"") && message.contains("2013-05-24T00:00:00Z"));
    }
}
