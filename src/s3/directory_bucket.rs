//! Directory buckets of S3 Express One Zone: `NAME--ZONE--x-s3`, one Availability (or
//! Local) Zone each, reached at a zonal endpoint and signed for the service `s3express`.
//!
//! ```text
//! mybucket--usw2-az1--x-s3                                   (the name; ZONE = usw2-az1)
//! https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/KEY
//! ```
//!
//! Two kinds of credentials sign for them, both with the signing name `s3express`:
//!
//! - **IAM credentials** (an access key, or STS credentials whose token goes in
//!   `X-Amz-Security-Token`): [`Settings::s3`](crate::Settings::s3), a URL valid up to
//!   seven days, like any presigned URL.
//! - **CreateSession credentials**, which the bucket issues for five minutes: the token goes
//!   in `X-Amz-S3session-Token` ([`Settings::s3_express_session`](crate::Settings::s3_express_session)),
//!   and a URL signed with them stops working when they expire, whatever its
//!   `X-Amz-Expires` says. Give them their expiry
//!   ([`Credentials::with_expiration`](crate::Credentials::with_expiration)) and the
//!   presigner refuses a URL that would outlive them (or, with
//!   [`PresignRequest::clamp_to_credentials`](crate::PresignRequest::clamp_to_credentials),
//!   shortens it).

use alloc::string::String;

use crate::error::{Error, Result};
use crate::s3::Bucket;
use crate::s3::bucket::{DIRECTORY_SUFFIX, Kind};

impl Bucket {
    /// A directory bucket of S3 Express One Zone, `NAME--ZONE--x-s3` in `region` (the
    /// region of its zone). [`Bucket::new`] makes one for any name ending in `--x-s3`.
    /// Requests go to the zonal endpoint, virtual-hosted; presign them with a
    /// [`Presigner`](crate::Presigner) for the service `s3express`.
    ///
    /// ```
    /// use sigv4_presign::s3::Bucket;
    /// use sigv4_presign::{Credentials, Presigner};
    /// use time::macros::datetime;
    ///
    /// let bucket = Bucket::new("mybucket--usw2-az1--x-s3", "us-west-2")?;
    /// assert_eq!(bucket.zone(), Some("usw2-az1"));
    /// let presigner = Presigner::new(Credentials::new("AKIDEXAMPLE", "secret")?, "us-west-2", "s3express")?;
    /// let signed = bucket.get_object("a.txt").presign(&presigner, datetime!(2024-05-01 12:00 UTC))?;
    /// assert!(signed.url().starts_with(
    ///     "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/a.txt?"
    /// ));
    /// # Ok::<(), sigv4_presign::Error>(())
    /// ```
    ///
    /// Errors: [`Error::InvalidBucketName`] when the name breaks the rules of directory
    /// buckets (3 to 63 characters of lower-case letters, digits and `-`, a letter or
    /// digit at both ends, a base name, then `--ZONE--x-s3` with a zone id such as
    /// `usw2-az1` or `usw2-lax1-az1`); [`Error::InvalidScope`] for a malformed region.
    pub fn directory(name: impl Into<String>, region: impl Into<String>) -> Result<Self> {
        let name = name.into();
        if let Some(reason) = directory_name_problem(&name) {
            return Err(Error::InvalidBucketName { name, reason });
        }
        let mut bucket = Bucket::new_unchecked(name, region)?;
        bucket.kind = Kind::Directory;
        Ok(bucket)
    }

    /// Whether this is a directory bucket of S3 Express One Zone.
    pub fn is_directory_bucket(&self) -> bool {
        self.kind == Kind::Directory
    }

    /// The zone id of a directory bucket (`usw2-az1`), from its name.
    pub fn zone(&self) -> Option<&str> {
        if self.kind != Kind::Directory {
            return None;
        }
        zone_of(self.name())
    }
}

/// The zone id of `NAME--ZONE--x-s3`: what stands between the last `--` before the
/// suffix and the suffix.
fn zone_of(name: &str) -> Option<&str> {
    let rest = name.strip_suffix(DIRECTORY_SUFFIX)?;
    let at = rest.rfind("--")?;
    Some(&rest[at + 2..])
}

/// What is wrong with a directory bucket name, if anything.
fn directory_name_problem(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    if !(3..=63).contains(&bytes.len()) {
        return Some(
            "a directory bucket name, `--ZONE--x-s3` included, is 3 to 63 characters long",
        );
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
    {
        return Some("a directory bucket name holds only lower-case letters, digits and `-`");
    }
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(alnum) {
        return Some("a directory bucket name begins with a letter or digit");
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(prefix) {
            return Some("a bucket name must not start with xn--, sthree- or amzn-s3-demo-");
        }
    }
    let Some(zone) = zone_of(name) else {
        return Some(
            "a directory bucket name reads NAME--ZONE--x-s3, e.g. mybucket--usw2-az1--x-s3",
        );
    };
    let base = &name[..name.len() - DIRECTORY_SUFFIX.len() - zone.len() - 2];
    if base.is_empty() || base.ends_with('-') {
        return Some("a directory bucket name has a base name before --ZONE--x-s3");
    }
    // An Availability Zone id (usw2-az1) or a Local Zone id (usw2-lax1-az1): words of
    // letters and digits joined by `-`, the last `az` and a number.
    let words: alloc::vec::Vec<&str> = zone.split('-').collect();
    let zone_ok = words.len() >= 2
        && words.iter().all(|w| !w.is_empty())
        && words[0].bytes().any(|b| b.is_ascii_digit())
        && words
            .last()
            .and_then(|w| w.strip_prefix("az"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !zone_ok {
        return Some(
            "the zone of NAME--ZONE--x-s3 is a zone id such as usw2-az1 or usw2-lax1-az1 (see \
             the zone ids of your account), not a zone name such as us-west-2a",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3::{Addressing, Endpoint};

    #[test]
    fn names_and_zones() {
        for (name, zone) in [
            ("mybucket--usw2-az1--x-s3", "usw2-az1"),
            ("a--apne1-az4--x-s3", "apne1-az4"),
            ("my-bucket-1--usw2-lax1-az1--x-s3", "usw2-lax1-az1"),
            ("x--cnn1-pkx1-az1--x-s3", "cnn1-pkx1-az1"),
        ] {
            let bucket = Bucket::new(name, "us-west-2").unwrap();
            assert!(bucket.is_directory_bucket());
            assert_eq!(bucket.zone(), Some(zone));
        }
        assert_eq!(Bucket::new("plain", "us-west-2").unwrap().zone(), None);
        for bad in [
            "--usw2-az1--x-s3",
            "b---usw2-az1--x-s3",
            "Bucket--usw2-az1--x-s3",
            "my.bucket--usw2-az1--x-s3",
            "my_bucket--usw2-az1--x-s3",
            "bucket--x-s3",
            "bucket--us-west-2a--x-s3",
            "bucket--usw2-az--x-s3",
            "bucket--usw2--x-s3",
            "bucket--usw2-azx--x-s3",
            "xn--b--usw2-az1--x-s3",
            &alloc::format!("{}--usw2-az1--x-s3", "a".repeat(48)),
        ] {
            assert!(
                matches!(
                    Bucket::new(bad, "us-west-2"),
                    Err(Error::InvalidBucketName { .. })
                ),
                "{bad}"
            );
        }
        assert!(
            Bucket::new(
                alloc::format!("{}--usw2-az1--x-s3", "a".repeat(47)),
                "us-west-2"
            )
            .is_ok()
        );
    }

    #[test]
    fn zonal_endpoints() {
        let bucket = Bucket::new("mybucket--usw2-az1--x-s3", "us-west-2").unwrap();
        assert_eq!(bucket.addressing(), Addressing::VirtualHosted);
        let url = |b: &Bucket| b.object_url("a b").unwrap();
        assert_eq!(
            url(&bucket),
            "https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/a%20b"
        );
        let fips = bucket
            .clone()
            .with_endpoint(Endpoint::aws().with_fips(true).with_dualstack(true));
        assert_eq!(
            url(&fips),
            "https://mybucket--usw2-az1--x-s3.s3express-fips-usw2-az1.dualstack.us-west-2.amazonaws.com/a%20b"
        );
        assert!(matches!(
            bucket
                .clone()
                .with_addressing(Addressing::Path)
                .object_url("k"),
            Err(Error::InvalidEndpoint { .. })
        ));
        assert!(matches!(
            bucket
                .clone()
                .with_endpoint(Endpoint::aws().with_accelerate(true))
                .object_url("k"),
            Err(Error::InvalidEndpoint { .. })
        ));
        // A store that emulates directory buckets on 127.0.0.1: path-style, as any bucket.
        let local = bucket.with_endpoint(Endpoint::custom("http://127.0.0.1:9000").unwrap());
        assert_eq!(
            url(&local),
            "http://127.0.0.1:9000/mybucket--usw2-az1--x-s3/a%20b"
        );
    }
}
