//! The signing time as SigV4 writes it: `YYYYMMDD'T'HHMMSS'Z'` in UTC (ISO 8601 basic).

use time::{OffsetDateTime, UtcOffset};

use crate::error::{Error, Result};

/// A signing time in SigV4's format, e.g. `20130524T000000Z`; its first eight bytes are the
/// scope date `20130524`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AmzDate {
    text: [u8; 16],
}

impl AmzDate {
    /// Formats `time` in UTC. Errors with [`Error::TimeOutOfRange`] outside the years
    /// 0000..=9999.
    pub(crate) fn new(time: OffsetDateTime) -> Result<Self> {
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

    /// The time `text` (`YYYYMMDDTHHMMSSZ`) names, as [`AmzDate::as_bytes`] gave it.
    pub(crate) fn from_bytes(text: [u8; 16]) -> Self {
        Self { text }
    }

    /// `YYYYMMDDTHHMMSSZ`, as bytes.
    pub(crate) fn as_bytes(&self) -> &[u8; 16] {
        &self.text
    }

    /// `YYYYMMDDTHHMMSSZ`.
    pub(crate) fn as_str(&self) -> &str {
        // The text is ASCII digits, `T` and `Z` by construction.
        core::str::from_utf8(&self.text).unwrap_or_default()
    }

    /// The scope date `YYYYMMDD`.
    pub(crate) fn date(&self) -> &str {
        self.as_str().get(..8).unwrap_or_default()
    }
}

/// Shows an instant as `2024-05-01T13:00:00Z` (UTC), for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Utc(pub(crate) OffsetDateTime);

impl core::fmt::Display for Utc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let t = self.0.checked_to_offset(UtcOffset::UTC).unwrap_or(self.0);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
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
    use time::macros::datetime;

    #[test]
    fn formats_in_utc() {
        let d = AmzDate::new(datetime!(2013-05-24 0:00 UTC)).unwrap();
        assert_eq!(d.as_str(), "20130524T000000Z");
        assert_eq!(d.date(), "20130524");
        let d = AmzDate::new(datetime!(2015-08-30 14:36:59.9 +2)).unwrap();
        assert_eq!(d.as_str(), "20150830T123659Z");
        let d = AmzDate::new(datetime!(0000-01-01 0:00 +1)).unwrap_err();
        assert_eq!(d, Error::TimeOutOfRange);
    }
}
