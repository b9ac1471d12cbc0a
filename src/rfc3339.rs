//! Instants written as RFC 3339 in UTC, `2024-05-01T13:00:00Z`: the form of JSON
//! documents (a POST policy's expiration, an `ExecCredential`) and of messages.

use core::fmt;

use time::{OffsetDateTime, UtcOffset};

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
