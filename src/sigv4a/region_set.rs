//! `X-Amz-Region-Set`: the regions a SigV4a signature is valid in.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use crate::error::{Error, Result};

/// The regions a SigV4a signature is valid in: `*` (every region, what Multi-Region Access
/// Points use), or a comma-separated list of region names (`us-east-1,us-west-2`).
///
/// ```
/// use sigv4_presign::sigv4a::RegionSet;
///
/// let set: RegionSet = "us-east-1,us-west-2".parse()?;
/// assert!(set.contains("us-west-2") && !set.contains("eu-west-1"));
/// assert!(RegionSet::any().contains("eu-west-1"));
/// assert!("us-east-1,".parse::<RegionSet>().is_err());
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegionSet(Box<str>);

impl RegionSet {
    /// Every region: `*`.
    pub fn any() -> Self {
        Self("*".into())
    }

    /// Checks `set`: `*`, or region names joined by `,`, without spaces, empty names or
    /// repeats. A name holds ASCII letters, digits, `-`, `_` and `.` (AWS writes lower
    /// case, digits and `-`; S3-compatible stores have names of their own, such as `auto`).
    ///
    /// Errors: [`Error::InvalidRegionSet`], saying what is wrong.
    pub fn new(set: &str) -> Result<Self> {
        let invalid = |reason| {
            Err(Error::InvalidRegionSet {
                value: set.chars().take(256).collect(),
                reason,
            })
        };
        if set == "*" {
            return Ok(Self::any());
        }
        if set.is_empty() {
            return invalid(
                "it is empty: give `*` for every region, or names such as us-east-1,us-west-2",
            );
        }
        for (i, name) in set.split(',').enumerate() {
            if name.is_empty() {
                return invalid("a region name is empty: join names with `,` alone");
            }
            if name == "*" {
                return invalid("`*` stands alone: it already means every region");
            }
            if !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            {
                return invalid(
                    "region names hold letters, digits, `-`, `_` and `.` only (no spaces)",
                );
            }
            if set.split(',').take(i).any(|earlier| earlier == name) {
                return invalid("a region is named twice");
            }
        }
        Ok(Self(set.into()))
    }

    /// The set as signed: `*` or `name,name,…`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a signature for this set is valid in `region`.
    pub fn contains(&self, region: &str) -> bool {
        &*self.0 == "*" || self.0.split(',').any(|name| name == region)
    }

    /// Whether this is `*`.
    pub fn is_any(&self) -> bool {
        &*self.0 == "*"
    }
}

impl FromStr for RegionSet {
    type Err = Error;

    fn from_str(set: &str) -> Result<Self> {
        Self::new(set)
    }
}

impl fmt::Display for RegionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<RegionSet> for String {
    fn from(set: RegionSet) -> Self {
        set.0.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_aws_writes() {
        for good in [
            "*",
            "us-east-1",
            "us-east-1,us-west-2",
            "auto",
            "eu-west-1,ap-south-2,us-gov-west-1",
        ] {
            assert_eq!(RegionSet::new(good).unwrap().as_str(), good);
        }
        let set = RegionSet::new("us-east-1,us-west-2").unwrap();
        assert!(set.contains("us-east-1") && set.contains("us-west-2"));
        assert_eq!(alloc::format!("{set}"), "us-east-1,us-west-2");
        assert_eq!(String::from(set.clone()), "us-east-1,us-west-2");
        assert_eq!("*".parse::<RegionSet>().unwrap(), RegionSet::any());
        assert!(!set.contains("us-east") && !set.contains("*") && !set.is_any());
        assert!(RegionSet::any().is_any() && RegionSet::any().contains("anything"));
    }

    #[test]
    fn refuses_what_aws_would_not_read() {
        for bad in [
            "",
            ",",
            "us-east-1,",
            ",us-east-1",
            "us-east-1, us-west-2",
            "*,us-east-1",
            "us-east-1,us-east-1",
            "us/east",
            "us-east-1;x",
            "é",
        ] {
            let err = RegionSet::new(bad).unwrap_err();
            assert!(
                matches!(err, Error::InvalidRegionSet { .. }),
                "{bad:?}: {err}"
            );
        }
    }
}
