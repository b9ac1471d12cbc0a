//! The policy a CloudFront signature covers: a resource (URL, possibly with `*` and `?`
//! wildcards), `DateLessThan`, and optionally `DateGreaterThan` and `IpAddress`, written
//! as compact JSON exactly as CloudFront's documentation (and botocore) writes it:
//!
//! ```text
//! {"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/images/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"},"DateGreaterThan":{"AWS:EpochTime":1764547200}}}]}
//! ```

use alloc::string::String;
use core::fmt::Write as _;
use core::net::IpAddr;

use crate::cloudfront::CloudFrontError;
use crate::json::push_json_string;
use crate::sigv4::Timestamp;

/// What a signed URL or cookie grants: access to `resource` before `DateLessThan`, and
/// optionally only from `DateGreaterThan` and from an IP range.
///
/// ```
/// use sigv4_presign::cloudfront::Policy;
/// use time::macros::datetime;
///
/// let policy = Policy::new(datetime!(2026-01-01 0:00 UTC))?
///     .with_resource("https://d111111abcdef8.cloudfront.net/images/*")
///     .with_ip_range("192.0.2.0/24")?;
/// assert_eq!(
///     policy.to_json("https://d111111abcdef8.cloudfront.net/images/a.jpg"),
///     r#"{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/images/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}}}]}"#
/// );
/// # Ok::<(), sigv4_presign::cloudfront::CloudFrontError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    resource: Option<String>,
    date_less_than: i64,
    date_greater_than: Option<i64>,
    ip_range: Option<IpRange>,
}

impl Policy {
    /// A policy that ends at `date_less_than` (whole seconds; a fraction is dropped, as
    /// CloudFront's epoch times are whole).
    ///
    /// Errors: [`CloudFrontError::TimeOutOfRange`] before 1970.
    pub fn new(date_less_than: impl Timestamp) -> Result<Self, CloudFrontError> {
        Ok(Self {
            resource: None,
            date_less_than: epoch(date_less_than)?,
            date_greater_than: None,
            ip_range: None,
        })
    }

    /// The resource the policy grants, when it is not the signed URL itself: a URL with
    /// `*` (any run of characters) and `?` (one character) wildcards, such as
    /// `https://d111111abcdef8.cloudfront.net/images/*`.
    pub fn with_resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    /// Valid only from `date_greater_than` on.
    ///
    /// Errors: [`CloudFrontError::TimeOutOfRange`] before 1970.
    pub fn with_date_greater_than(
        mut self,
        date_greater_than: impl Timestamp,
    ) -> Result<Self, CloudFrontError> {
        self.date_greater_than = Some(epoch(date_greater_than)?);
        Ok(self)
    }

    /// Valid only for clients in `range`: an address (`192.0.2.7`, taken as `/32`) or a
    /// CIDR block (`192.0.2.0/24`, `2001:db8::/32`).
    ///
    /// Errors: [`CloudFrontError::InvalidIpRange`] for anything else, host bits set
    /// included (`192.0.2.7/24`).
    pub fn with_ip_range(mut self, range: &str) -> Result<Self, CloudFrontError> {
        self.ip_range = Some(IpRange::parse(range)?);
        Ok(self)
    }

    /// `DateLessThan`, in Unix seconds.
    pub fn date_less_than(&self) -> i64 {
        self.date_less_than
    }

    /// `DateGreaterThan`, in Unix seconds.
    pub fn date_greater_than(&self) -> Option<i64> {
        self.date_greater_than
    }

    /// The resource, if given (else the signed URL).
    pub fn resource(&self) -> Option<&str> {
        self.resource.as_deref()
    }

    /// The IP range, if any.
    pub fn ip_range(&self) -> Option<&IpRange> {
        self.ip_range.as_ref()
    }

    /// Whether a URL for `url` uses a canned policy, as `aws cloudfront sign` decides: no
    /// start date, no IP range, and the resource is the URL itself, without wildcards.
    pub fn is_canned_for(&self, url: &str) -> bool {
        self.date_greater_than.is_none()
            && self.ip_range.is_none()
            && self.resource.as_deref().is_none_or(|r| r == url)
            && !url.contains('*')
    }

    /// The policy statement for `url` (the resource when none was given), as CloudFront's
    /// documentation writes it: no whitespace, `DateLessThan`, then `IpAddress`, then
    /// `DateGreaterThan`; the resource a JSON string (quotes, backslashes and control
    /// characters escaped, non-ASCII as `\uXXXX`), so no resource can add a condition.
    pub fn to_json(&self, url: &str) -> String {
        let resource = self.resource.as_deref().unwrap_or(url);
        let mut json = String::with_capacity(160 + resource.len());
        json.push_str(r#"{"Statement":[{"Resource":"#);
        push_json_string(&mut json, resource);
        let _ = write!(
            json,
            r#","Condition":{{"DateLessThan":{{"AWS:EpochTime":{}}}"#,
            self.date_less_than
        );
        if let Some(range) = &self.ip_range {
            let _ = write!(json, r#","IpAddress":{{"AWS:SourceIp":"{range}"}}"#);
        }
        if let Some(start) = self.date_greater_than {
            let _ = write!(json, r#","DateGreaterThan":{{"AWS:EpochTime":{start}}}"#);
        }
        json.push_str("}}]}");
        json
    }

    /// Reads a custom policy statement back (for verification): one statement, a string
    /// resource, `DateLessThan` and nothing but `IpAddress` and `DateGreaterThan` besides.
    pub(crate) fn from_json(json: &str) -> Result<(Self, String), &'static str> {
        use crate::json::{Value, parse_object};
        let top = parse_object(json)?;
        let statements = match (top.len(), top.get("Statement")) {
            (1, Some(Value::Array(statements))) => statements,
            _ => return Err("the policy is not {\"Statement\":[…]}"),
        };
        let [Value::Object(statement)] = &statements[..] else {
            return Err("the policy holds other than one statement");
        };
        let (Some(Value::String(resource)), Some(Value::Object(condition)), 2) = (
            statement.get("Resource"),
            statement.get("Condition"),
            statement.len(),
        ) else {
            return Err("the statement is not a Resource and a Condition");
        };
        let time = |name: &str| -> Result<Option<i64>, &'static str> {
            let Some(value) = condition.get(name) else {
                return Ok(None);
            };
            match value {
                Value::Object(inner) if inner.len() == 1 => match inner.get("AWS:EpochTime") {
                    Some(Value::Number(n)) => n
                        .parse::<i64>()
                        .map(Some)
                        .map_err(|_| "an epoch time is not a whole number"),
                    _ => Err("a date condition is not {\"AWS:EpochTime\":N}"),
                },
                _ => Err("a date condition is not {\"AWS:EpochTime\":N}"),
            }
        };
        let date_less_than = time("DateLessThan")?.ok_or("the policy has no DateLessThan")?;
        let date_greater_than = time("DateGreaterThan")?;
        let ip_range = match condition.get("IpAddress") {
            None => None,
            Some(Value::Object(inner)) if inner.len() == 1 => match inner.get("AWS:SourceIp") {
                Some(Value::String(range)) => {
                    Some(IpRange::parse(range).map_err(|_| "the IpAddress range is malformed")?)
                }
                _ => return Err("IpAddress is not {\"AWS:SourceIp\":\"…\"}"),
            },
            Some(_) => return Err("IpAddress is not {\"AWS:SourceIp\":\"…\"}"),
        };
        let known = 1 + usize::from(date_greater_than.is_some()) + usize::from(ip_range.is_some());
        if condition.len() != known {
            return Err("the policy holds a condition other than the dates and IpAddress");
        }
        Ok((
            Self {
                resource: Some(resource.clone()),
                date_less_than,
                date_greater_than,
                ip_range,
            },
            resource.clone(),
        ))
    }
}

/// Whole Unix seconds of a time, from 1970 on.
fn epoch(time: impl Timestamp) -> Result<i64, CloudFrontError> {
    let seconds = time
        .to_offset_date_time()
        .map_err(|_| CloudFrontError::TimeOutOfRange)?
        .unix_timestamp();
    if seconds < 0 {
        return Err(CloudFrontError::TimeOutOfRange);
    }
    Ok(seconds)
}

/// An IP range of a policy: an address and a prefix length, with no host bits set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    address: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Reads `a.b.c.d`, `a.b.c.d/n` (0 ≤ n ≤ 32), or an IPv6 address or CIDR block.
    ///
    /// Errors: [`CloudFrontError::InvalidIpRange`].
    pub fn parse(text: &str) -> Result<Self, CloudFrontError> {
        let invalid = || CloudFrontError::InvalidIpRange(text.chars().take(64).collect());
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().map_err(|_| invalid())?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().map_err(|_| invalid())?
            }
            Some(_) => return Err(invalid()),
        };
        if prefix > max {
            return Err(invalid());
        }
        let range = Self { address, prefix };
        if range.masked(address) != address_bits(address) {
            return Err(invalid());
        }
        Ok(range)
    }

    /// Whether `client` is in the range.
    pub fn contains(&self, client: IpAddr) -> bool {
        client.is_ipv4() == self.address.is_ipv4()
            && self.masked(client) == address_bits(self.address)
    }

    fn masked(&self, address: IpAddr) -> u128 {
        let bits = address_bits(address);
        let width = if address.is_ipv4() { 32 } else { 128 };
        let host = width - u32::from(self.prefix);
        if host >= 128 { 0 } else { bits >> host << host }
    }
}

fn address_bits(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

impl core::fmt::Display for IpRange {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// Whether `url` matches `resource`, whose `*` matches any run of characters (none
/// included) and `?` exactly one, as CloudFront matches a custom policy's resource.
pub(crate) fn resource_matches(resource: &str, url: &str) -> bool {
    let (pattern, text) = (resource.as_bytes(), url.as_bytes());
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn json_as_cloudfront_documents_it() {
        let at = |s| time::OffsetDateTime::from_unix_timestamp(s).unwrap();
        let canned = Policy::new(at(1_357_034_400)).unwrap();
        assert_eq!(
            canned.to_json(
                "https://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes"
            ),
            r#"{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/horizon.jpg?size=large&license=yes","Condition":{"DateLessThan":{"AWS:EpochTime":1357034400}}}]}"#
        );
        let custom = canned
            .with_date_greater_than(at(1_357_000_000))
            .unwrap()
            .with_ip_range("203.0.113.7")
            .unwrap()
            .with_resource("https://h/a\"b\\c/é😀*");
        assert_eq!(
            custom.to_json("ignored"),
            r#"{"Statement":[{"Resource":"https://h/a\"b\\c/\u00e9\ud83d\ude00*","Condition":{"DateLessThan":{"AWS:EpochTime":1357034400},"IpAddress":{"AWS:SourceIp":"203.0.113.7/32"},"DateGreaterThan":{"AWS:EpochTime":1357000000}}}]}"#
        );
        let (back, resource) = Policy::from_json(&custom.to_json("ignored")).unwrap();
        assert_eq!(back, custom);
        assert_eq!(resource, "https://h/a\"b\\c/é😀*");
        assert!(Policy::new(at(-1)).is_err());
    }

    #[test]
    fn canned_as_the_aws_cli_decides() {
        let at = time::OffsetDateTime::from_unix_timestamp(1_767_225_600).unwrap();
        let url = "https://d/a.jpg";
        let policy = Policy::new(at).unwrap();
        assert!(policy.is_canned_for(url));
        assert!(!policy.is_canned_for("https://d/*.jpg"), "a wildcard");
        assert!(policy.clone().with_resource(url).is_canned_for(url));
        assert!(
            !policy
                .clone()
                .with_resource("https://d/*")
                .is_canned_for(url)
        );
        assert!(
            !policy
                .clone()
                .with_ip_range("192.0.2.0/24")
                .unwrap()
                .is_canned_for(url)
        );
        assert!(
            !policy
                .with_date_greater_than(at)
                .unwrap()
                .is_canned_for(url)
        );
    }

    #[test]
    fn policies_read_back_refuse_additions() {
        for bad in [
            r#"{"Statement":[]}"#,
            r#"{"Statement":[{"Resource":"r","Condition":{"DateLessThan":{"AWS:EpochTime":1}}},{"Resource":"s","Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}"#,
            r#"{"Statement":[{"Resource":"r","Condition":{"DateLessThan":{"AWS:EpochTime":1},"StringLike":{"a":"b"}}}]}"#,
            r#"{"Statement":[{"Resource":"r","Condition":{"DateGreaterThan":{"AWS:EpochTime":1}}}]}"#,
            r#"{"Statement":[{"Resource":"r","Condition":{"DateLessThan":{"AWS:EpochTime":"1"}}}]}"#,
            r#"{"Statement":[{"Resource":"r","Extra":1,"Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}"#,
            r#"{"Statement":[{"Resource":"r","Condition":{"DateLessThan":{"AWS:EpochTime":1.5}}}]}"#,
            r#"{"Statement":[{"Resource":"r","Condition":{"DateLessThan":{"AWS:EpochTime":1},"IpAddress":{"AWS:SourceIp":"1.2.3.4/33"}}}]}"#,
            r#"{"Statement":[{"Resource":1,"Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}"#,
            r#"{"Statement":[{"Resource":"r","Condition":{"DateLessThan":{"AWS:EpochTime":1}}}],"Id":"x"}"#,
        ] {
            assert!(Policy::from_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ip_ranges() {
        for (text, shown) in [
            ("192.0.2.7", "192.0.2.7/32"),
            ("192.0.2.0/24", "192.0.2.0/24"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("2001:db8::/32", "2001:db8::/32"),
            ("2001:db8::1", "2001:db8::1/128"),
        ] {
            assert_eq!(IpRange::parse(text).unwrap().to_string(), shown);
        }
        for bad in [
            "192.0.2.7/24",
            "192.0.2.0/33",
            "192.0.2.0/",
            "192.0.2.0/+8",
            "1.2.3",
            "x",
            "",
            "192.0.2.0/24 ",
            "2001:db8::1/64",
        ] {
            assert!(
                matches!(IpRange::parse(bad), Err(CloudFrontError::InvalidIpRange(_))),
                "{bad}"
            );
        }
        let range = IpRange::parse("192.0.2.0/24").unwrap();
        assert!(range.contains("192.0.2.255".parse().unwrap()));
        assert!(!range.contains("192.0.3.0".parse().unwrap()));
        assert!(!range.contains("::ffff:192.0.2.1".parse().unwrap()));
        assert!(
            IpRange::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert!(
            IpRange::parse("::/0")
                .unwrap()
                .contains("2001:db8::1".parse().unwrap())
        );
    }

    #[test]
    fn wildcards() {
        for (resource, url, matches) in [
            ("https://d/images/*", "https://d/images/a.jpg", true),
            ("https://d/images/*", "https://d/images/", true),
            ("https://d/images/*", "https://d/other/a.jpg", false),
            ("https://d/*.jpg", "https://d/a/b.jpg", true),
            ("https://d/*.jpg", "https://d/a/b.png", false),
            ("https://d/?.jpg", "https://d/a.jpg", true),
            ("https://d/?.jpg", "https://d/ab.jpg", false),
            ("https://d/a.jpg", "https://d/a.jpg", true),
            ("https://d/a.jpg", "https://d/a.jpgx", false),
            ("*", "anything", true),
            ("a*b*c", "a-b-b-c", true),
            ("a*b*c", "a-b-b-d", false),
        ] {
            assert_eq!(resource_matches(resource, url), matches, "{resource} {url}");
        }
    }
}
