//! S3 Multi-Region Access Points: one global host in front of buckets in several regions,
//! reached only with SigV4a.
//!
//! ```text
//! arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap      (the ARN)
//! mfzwi23gnjvgw.mrap                                           (the alias)
//! https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/KEY
//! ```

use alloc::string::String;

use crate::error::{Error, Result};
use crate::s3::Bucket;
use crate::s3::bucket::Kind;
use crate::sigv4::Target;

/// The global host's suffix after the alias.
const GLOBAL_HOST: &str = ".accesspoint.s3-global.amazonaws.com";

impl Bucket {
    /// A Multi-Region Access Point, from its ARN (`arn:aws:s3::ACCOUNT:accesspoint/ALIAS`)
    /// or its alias (`mfzwi23gnjvgw.mrap`). Requests go to
    /// `https://ALIAS.accesspoint.s3-global.amazonaws.com/KEY` (virtual-hosted only) and
    /// are signed with SigV4a for the region set `*`:
    /// [`S3Request::presign_sigv4a`](crate::s3::S3Request::presign_sigv4a), with the
    /// `sigv4a` feature. A SigV4 presigner is refused with [`Error::NeedsSigV4a`].
    ///
    /// ```
    /// use sigv4_presign::s3::Bucket;
    ///
    /// let mrap = Bucket::multi_region_access_point("arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap")?;
    /// assert_eq!(mrap.name(), "mfzwi23gnjvgw.mrap");
    /// assert_eq!(mrap.region(), "*");
    /// assert_eq!(
    ///     mrap.object_url("a b.txt")?,
    ///     "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/a%20b.txt"
    /// );
    /// # Ok::<(), sigv4_presign::Error>(())
    /// ```
    ///
    /// Errors: [`Error::InvalidBucketName`] when the text is neither such an ARN nor an
    /// alias (lower-case letters and digits, then `.mrap`).
    pub fn multi_region_access_point(arn_or_alias: &str) -> Result<Self> {
        let alias = parse_arn_or_alias(arn_or_alias)?;
        let mut bucket = Bucket::new_unchecked(alias, "us-east-1")?;
        bucket.region = "*".into();
        bucket.kind = Kind::MultiRegionAccessPoint;
        Ok(bucket)
    }

    /// Whether this is a Multi-Region Access Point.
    pub fn is_multi_region_access_point(&self) -> bool {
        self.kind == Kind::MultiRegionAccessPoint
    }

    /// The target of a Multi-Region Access Point: the global host, the key as the path.
    pub(super) fn access_point_target(&self, key: Option<&str>) -> Result<Target<'static>> {
        if *self.endpoint() != crate::s3::Endpoint::aws() {
            return Err(Error::InvalidEndpoint {
                reason: "a Multi-Region Access Point is reached through \
                         ALIAS.accesspoint.s3-global.amazonaws.com only: drop the endpoint, \
                         dual-stack, FIPS and acceleration settings",
            });
        }
        if self.configured_addressing() == crate::s3::Addressing::Path {
            return Err(Error::InvalidEndpoint {
                reason: "a Multi-Region Access Point is addressed virtual-hosted only",
            });
        }
        let mut authority = String::with_capacity(self.name().len() + GLOBAL_HOST.len());
        authority.push_str(self.name());
        authority.push_str(GLOBAL_HOST);
        let mut path = String::with_capacity(1 + key.map_or(0, str::len));
        path.push('/');
        path.push_str(key.unwrap_or_default());
        Ok(Target::new(crate::sigv4::Scheme::Https, authority)?.with_raw_path(path))
    }
}

#[cfg(feature = "sigv4a")]
impl Bucket {
    /// Checks that a SigV4a `presigner` signs for this bucket: a region set that covers it
    /// (`*` for a Multi-Region Access Point), S3's signing name (`s3` for an access point)
    /// and settings. Directory buckets take SigV4 only.
    ///
    /// Errors: [`Error::PresignerMismatch`].
    pub fn check_sigv4a_presigner(&self, presigner: &crate::sigv4a::Presigner) -> Result<()> {
        if self.is_directory_bucket() {
            return Err(Error::PresignerMismatch {
                reason: "directory buckets (S3 Express One Zone) take SigV4 only, for the \
                         signing name s3express: presign with a Presigner, not SigV4a"
                    .into(),
            });
        }
        let set = presigner.region_set();
        let covered = if self.is_multi_region_access_point() {
            set.is_any()
        } else {
            set.contains(self.region())
        };
        if !covered {
            return Err(Error::PresignerMismatch {
                reason: alloc::format!(
                    "its region set {set} does not cover {}: a Multi-Region Access Point \
                     takes the set *, a bucket a set naming its region",
                    self.region()
                ),
            });
        }
        let service_ok = if self.is_multi_region_access_point() {
            presigner.service() == "s3"
        } else {
            crate::sigv4::is_s3_service(presigner.service())
        };
        if !service_ok {
            return Err(Error::PresignerMismatch {
                reason: alloc::format!(
                    "it signs for the service {:?}: S3 checks the signing name s3",
                    presigner.service()
                ),
            });
        }
        crate::s3::bucket::check_s3_settings(presigner.settings())
    }
}

/// The alias of an MRAP ARN or alias.
fn parse_arn_or_alias(text: &str) -> Result<&str> {
    let invalid = |reason| {
        Err(Error::InvalidBucketName {
            name: text.chars().take(128).collect(),
            reason,
        })
    };
    let alias = match text.strip_prefix("arn:") {
        Some(rest) => {
            // PARTITION:s3::ACCOUNT:accesspoint/ALIAS (no region: the point is global).
            let mut parts = rest.splitn(5, ':');
            let (partition, service, region, account, resource) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            if partition != "aws" || service != "s3" {
                return invalid(
                    "a Multi-Region Access Point ARN reads arn:aws:s3::ACCOUNT:accesspoint/ALIAS",
                );
            }
            if !region.is_empty() {
                return invalid(
                    "a Multi-Region Access Point ARN has no region (arn:aws:s3::ACCOUNT:…); \
                     an ARN with a region names a single-region access point",
                );
            }
            if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                return invalid("the ARN's account is 12 digits");
            }
            match resource.strip_prefix("accesspoint/") {
                Some(alias) => alias,
                None => return invalid("the ARN's resource reads accesspoint/ALIAS"),
            }
        }
        None => text,
    };
    let Some(label) = alias.strip_suffix(".mrap") else {
        return invalid("a Multi-Region Access Point alias ends in .mrap, e.g. mfzwi23gnjvgw.mrap");
    };
    if label.is_empty()
        || label.len() > 63
        || !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return invalid(
            "a Multi-Region Access Point alias is lower-case letters and digits, then .mrap",
        );
    }
    Ok(alias)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_arns_and_aliases() {
        for text in [
            "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap",
            "mfzwi23gnjvgw.mrap",
        ] {
            assert_eq!(parse_arn_or_alias(text).unwrap(), "mfzwi23gnjvgw.mrap");
        }
        for bad in [
            "",
            ".mrap",
            "mfzwi23gnjvgw",
            "MFZ.mrap",
            "a-b.mrap",
            "arn:aws:s3:us-east-1:123456789012:accesspoint/mfzwi23gnjvgw.mrap",
            "arn:aws-cn:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap",
            "arn:aws:s3::12345678901:accesspoint/mfzwi23gnjvgw.mrap",
            "arn:aws:s3::123456789012:bucket/mfzwi23gnjvgw.mrap",
            "arn:aws:s3::123456789012:accesspoint/my-point",
            "arn:aws:sqs::123456789012:accesspoint/mfzwi23gnjvgw.mrap",
        ] {
            assert!(
                matches!(
                    parse_arn_or_alias(bad),
                    Err(Error::InvalidBucketName { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_global_host_only() {
        let mrap = Bucket::multi_region_access_point("mfzwi23gnjvgw.mrap").unwrap();
        assert!(mrap.is_multi_region_access_point());
        assert_eq!(mrap.addressing(), crate::s3::Addressing::VirtualHosted);
        assert_eq!(
            mrap.bucket_url().unwrap(),
            "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/"
        );
        for bucket in [
            mrap.clone().with_addressing(crate::s3::Addressing::Path),
            mrap.clone()
                .with_endpoint(crate::s3::Endpoint::custom("http://127.0.0.1:9000").unwrap()),
            mrap.clone()
                .with_endpoint(crate::s3::Endpoint::aws().with_dualstack(true)),
        ] {
            assert!(matches!(
                bucket.object_url("k"),
                Err(Error::InvalidEndpoint { .. })
            ));
        }
        let presigner = crate::Presigner::new(
            crate::Credentials::new("AKID", "secret").unwrap(),
            "us-east-1",
            "s3",
        )
        .unwrap();
        assert!(matches!(
            mrap.check_presigner(&presigner),
            Err(Error::NeedsSigV4a { .. })
        ));
    }
}
