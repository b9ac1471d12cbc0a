//! Instants written as RFC 3339 in UTC, `2024-05-01T13:00:00Z`: the form of JSON
//! documents (a POST policy's expiration, an `ExecCredential`) and of messages.

use core::fmt;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Shows an instant in UTC as RFC 3339 with whole seconds, `2024-05-01T13:00:00Z`: the
/// form of JSON documents (a POST policy's expiration, an `ExecCredential`) and messages.
///
/// ```
/// use sigv4_presign::sigv4::Rfc3339;
/// use time::macros::datetime;
///
/// assert_eq!(Rfc3339(datetime!(2024-05-01 15:00:30.5 +2)).to_string(), "2024-05-01T13:00:30Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfc3339(pub OffsetDateTime);

impl Rfc3339 {
    /// Reads an RFC 3339 date-time: `2024-05-01T13:00:00Z`, with optional fractional
    /// seconds (`13:00:00.123Z`) and any offset (`+02:00`, `-05:30`); `t` and `z` may be
    /// lower case. `None` for anything else, or a date or time that does not exist.
    ///
    /// ```
    /// use sigv4_presign::sigv4::Rfc3339;
    /// use time::macros::datetime;
    ///
    /// assert_eq!(Rfc3339::parse("2024-05-01T15:00:00.5+02:00"), Some(datetime!(2024-05-01 15:00:00.5 +2)));
    /// assert_eq!(Rfc3339::parse("2024-05-01"), None);
    /// ```
    pub fn parse(text: &str) -> Option<OffsetDateTime> {
        let b = text.as_bytes();
        let digits = |range: core::ops::Range<usize>| -> Option<u32> {
            let part = b.get(range)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
        };
        let separators = b.get(4) == Some(&b'-')
            && b.get(7) == Some(&b'-')
            && matches!(b.get(10), Some(b'T' | b't'))
            && b.get(13) == Some(&b':')
            && b.get(16) == Some(&b':');
        if !separators {
            return None;
        }
        let month = Month::try_from(u8::try_from(digits(5..7)?).ok()?).ok()?;
        let date = Date::from_calendar_date(
            i32::try_from(digits(0..4)?).ok()?,
            month,
            u8::try_from(digits(8..10)?).ok()?,
        )
        .ok()?;
        let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        let mut at = 19;
        let mut nanos = 0u32;
        if b.get(at) == Some(&b'.') {
            let fraction = b
                .get(at + 1..)?
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            if fraction == 0 {
                return None;
            }
            // Nanoseconds: the first nine digits, the rest ignored.
            for i in 0..9 {
                let d = if i < fraction {
                    u32::from(b[at + 1 + i] - b'0')
                } else {
                    0
                };
                nanos = nanos * 10 + d;
            }
            at += 1 + fraction;
        }
        let offset = match b.get(at..)? {
            [b'Z' | b'z'] => UtcOffset::UTC,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (h, m) = (digits(at + 1..at + 3)?, digits(at + 4..at + 6)?);
                if h > 23 || m > 59 {
                    return None;
                }
                let seconds = i32::try_from(h * 3600 + m * 60).ok()?;
                UtcOffset::from_whole_seconds(if *sign == b'-' { -seconds } else { seconds })
                    .ok()?
            }
            _ => return None,
        };
        let clock = Time::from_hms_nano(
            u8::try_from(hour).ok()?,
            u8::try_from(minute).ok()?,
            u8::try_from(second).ok()?,
            nanos,
        )
        .ok()?;
        Some(PrimitiveDateTime::new(date, clock).assume_offset(offset))
    }
}

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use time::macros::datetime;

    #[test]
    fn parses_rfc3339() {
        for (text, want) in [
            ("2024-05-01T13:00:00Z", datetime!(2024-05-01 13:00 UTC)),
            ("2024-05-01t13:00:00z", datetime!(2024-05-01 13:00 UTC)),
            (
                "2024-05-01T13:00:00.123Z",
                datetime!(2024-05-01 13:00:00.123 UTC),
            ),
            (
                "2024-05-01T13:00:00.1234567891Z",
                datetime!(2024-05-01 13:00:00.123456789 UTC),
            ),
            ("2024-05-01T13:00:00+02:00", datetime!(2024-05-01 13:00 +2)),
            (
                "2024-05-01T13:00:00-05:30",
                datetime!(2024-05-01 13:00 -5:30),
            ),
            ("2024-02-29T23:59:59Z", datetime!(2024-02-29 23:59:59 UTC)),
        ] {
            assert_eq!(Rfc3339::parse(text), Some(want), "{text}");
        }
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01T13:00:00",
            "2024-05-01 13:00:00Z",
            "2024-05-01T13:00Z",
            "2024-13-01T13:00:00Z",
            "2023-02-29T13:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T13:00:00.Z",
            "2024-05-01T13:00:00+2:00",
            "2024-05-01T13:00:00+24:00",
            "2024-05-01T13:00:00Zx",
            "+024-05-01T13:00:00Z",
            "2024-05-01T13:00:00é",
        ] {
            assert_eq!(Rfc3339::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn whole_seconds_in_utc() {
        assert_eq!(
            Rfc3339(datetime!(2013-05-24 13:14:15 UTC)).to_string(),
            "2013-05-24T13:14:15Z"
        );
        assert_eq!(
            Rfc3339(datetime!(0000-01-01 0:00 UTC)).to_string(),
            "0000-01-01T00:00:00Z"
        );
        assert_eq!(
            Rfc3339(datetime!(2024-05-01 15:00:30.9 +2)).to_string(),
            "2024-05-01T13:00:30Z"
        );
    }
}
