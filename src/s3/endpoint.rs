//! Where a bucket lives: AWS's S3 endpoints and those of S3-compatible stores.

use alloc::format;
use alloc::string::String;

use crate::error::{Error, Result};
use crate::sigv4::{Scheme, Target, check_aws_region, is_ipv4_like};

/// An S3 endpoint: AWS (regional, with dual-stack, FIPS or Transfer Acceleration) or the
/// address of an S3-compatible store.
///
/// ```
/// use sigv4_presign::s3::Endpoint;
///
/// let aws = Endpoint::aws().with_dualstack(true);
/// let minio = Endpoint::custom("http://127.0.0.1:9000")?;
/// let r2 = Endpoint::cloudflare_r2("0123456789abcdef0123456789abcdef")?;
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    kind: Kind,
    dualstack: bool,
    fips: bool,
    accelerate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Kind {
    Aws,
    Custom {
        scheme: Scheme,
        /// Lower-cased `host[:port]`, the default port dropped.
        authority: String,
        /// Whether the host is an IP address, which cannot carry a bucket name.
        ip: bool,
        /// Whether the store answers `BUCKET.host` without being configured for it (the
        /// providers' endpoints do; self-hosted stores usually need a domain set first).
        virtual_by_default: bool,
    },
}

impl Endpoint {
    /// AWS's regional endpoint, `s3.REGION.amazonaws.com` (`amazonaws.com.cn` in China).
    pub fn aws() -> Self {
        Self::new(Kind::Aws)
    }

    fn new(kind: Kind) -> Self {
        Self {
            kind,
            dualstack: false,
            fips: false,
            accelerate: false,
        }
    }

    /// Uses the dual-stack (IPv4 and IPv6) endpoint, `s3.dualstack.REGION.amazonaws.com`.
    /// Only AWS endpoints have one: on another endpoint, building a URL fails with
    /// [`Error::InvalidEndpoint`].
    pub fn with_dualstack(mut self, on: bool) -> Self {
        self.dualstack = on;
        self
    }

    /// Uses the FIPS 140 endpoint, `s3-fips.REGION.amazonaws.com` (US and Canada regions,
    /// GovCloud). AWS endpoints only.
    pub fn with_fips(mut self, on: bool) -> Self {
        self.fips = on;
        self
    }

    /// Uses S3 Transfer Acceleration, `BUCKET.s3-accelerate.amazonaws.com`: the bucket must
    /// have it enabled, have no `.` in its name, and be addressed virtual-hosted. AWS
    /// endpoints only.
    pub fn with_accelerate(mut self, on: bool) -> Self {
        self.accelerate = on;
        self
    }

    /// An S3-compatible store at `url`: `http://127.0.0.1:9000` (MinIO, SeaweedFS, Garage),
    /// `https://s3.example.com`, `https://ceph.internal:7480`. The URL holds a scheme, a
    /// host and an optional port, nothing else; an explicit default port (`:443` for
    /// https, `:80` for http) is dropped, as the signature requires.
    ///
    /// Buckets on a custom endpoint are addressed path-style unless asked otherwise:
    /// self-hosted stores (MinIO without `MINIO_DOMAIN`, Garage without `root_domain`, Ceph
    /// without `rgw_dns_name`) answer virtual-hosted requests only once configured for them.
    pub fn custom(url: &str) -> Result<Self> {
        Self::parse(url, false)
    }

    /// A provider's endpoint, which serves virtual-hosted requests as they come.
    fn preset(url: &str) -> Result<Self> {
        Self::parse(url, true)
    }

    fn parse(url: &str, virtual_by_default: bool) -> Result<Self> {
        let parsed = Target::parse(url)?;
        if parsed.path() != "/" || !parsed.query().is_empty() || url.ends_with('?') {
            return Err(Error::InvalidEndpoint {
                reason: "an endpoint is scheme://host[:port] with no path or query, as in \
                         http://127.0.0.1:9000",
            });
        }
        let mut authority = String::new();
        parsed.push_authority(&mut authority);
        let host = parsed.host();
        let ip = host.starts_with('[') || is_ipv4_like(host);
        if !ip && !is_dns_name(host) || is_ipv4_like(host) && !is_ipv4(host) {
            return Err(Error::InvalidHost {
                host: host.into(),
                reason: "an endpoint's host is a DNS name (labels of letters, digits and `-`, \
                         neither starting nor ending with `-`), an IPv4 address or an IPv6 \
                         literal in brackets",
            });
        }
        Ok(Self::new(Kind::Custom {
            scheme: parsed.scheme(),
            authority,
            ip,
            virtual_by_default,
        }))
    }

    /// Cloudflare R2: `https://ACCOUNT_ID.r2.cloudflarestorage.com`. Sign with region
    /// `auto`.
    pub fn cloudflare_r2(account_id: &str) -> Result<Self> {
        if account_id.len() != 32 || !account_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::InvalidEndpoint {
                reason: "a Cloudflare account id is 32 hexadecimal digits (the dashboard shows \
                         it beside the R2 endpoint)",
            });
        }
        Self::preset(&format!(
            "https://{}.r2.cloudflarestorage.com",
            account_id.to_ascii_lowercase()
        ))
    }

    /// Backblaze B2's S3 API: `https://s3.REGION.backblazeb2.com` (e.g. region
    /// `us-west-004`; sign with the same region).
    pub fn backblaze_b2(region: &str) -> Result<Self> {
        check_provider_region(region)?;
        Self::preset(&format!("https://s3.{region}.backblazeb2.com"))
    }

    /// Google Cloud Storage's XML API in interoperability mode (HMAC keys):
    /// `https://storage.googleapis.com`. Sign with region `auto`.
    pub fn google_cloud_storage() -> Self {
        Self::new(Kind::Custom {
            scheme: Scheme::Https,
            authority: "storage.googleapis.com".into(),
            ip: false,
            virtual_by_default: true,
        })
    }

    /// DigitalOcean Spaces: `https://REGION.digitaloceanspaces.com` (e.g. `nyc3`; sign with
    /// the same region).
    pub fn digitalocean_spaces(region: &str) -> Result<Self> {
        check_provider_region(region)?;
        Self::preset(&format!("https://{region}.digitaloceanspaces.com"))
    }

    /// Wasabi: `https://s3.REGION.wasabisys.com` (e.g. `eu-central-1`; sign with the same
    /// region).
    pub fn wasabi(region: &str) -> Result<Self> {
        check_provider_region(region)?;
        Self::preset(&format!("https://s3.{region}.wasabisys.com"))
    }

    /// Whether this is an AWS endpoint.
    pub fn is_aws(&self) -> bool {
        self.kind == Kind::Aws
    }

    /// Whether [`Addressing::Auto`](crate::s3::Addressing::Auto) picks virtual-hosted
    /// addressing here (AWS and the providers' presets) rather than path-style.
    pub(crate) fn prefers_virtual_hosting(&self) -> bool {
        match self.kind {
            Kind::Aws => true,
            Kind::Custom {
                ip,
                virtual_by_default,
                ..
            } => !ip && virtual_by_default,
        }
    }

    /// Whether a bucket can be addressed as a host name under this endpoint.
    pub(crate) fn supports_virtual_hosting(&self) -> bool {
        match self.kind {
            Kind::Aws => true,
            Kind::Custom { ip, .. } => !ip,
        }
    }

    pub(crate) fn is_accelerate(&self) -> bool {
        self.accelerate
    }

    pub(crate) fn scheme(&self) -> Scheme {
        match self.kind {
            Kind::Aws => Scheme::Https,
            Kind::Custom { scheme, .. } => scheme,
        }
    }

    /// Appends the endpoint's `host[:port]` for `region`.
    pub(crate) fn push_authority(&self, out: &mut String, region: &str) -> Result<()> {
        let authority = match &self.kind {
            Kind::Aws => None,
            Kind::Custom { authority, .. } => Some(authority),
        };
        if let Some(authority) = authority {
            if self.dualstack || self.fips || self.accelerate {
                return Err(Error::InvalidEndpoint {
                    reason: "dual-stack, FIPS and Transfer Acceleration exist on AWS endpoints \
                             only: remove them from a custom endpoint",
                });
            }
            out.push_str(authority);
            return Ok(());
        }
        if self.fips && !(region.starts_with("us-") || region.starts_with("ca-")) {
            return Err(Error::InvalidEndpoint {
                reason: "S3 has FIPS endpoints in US, Canada and GovCloud regions only",
            });
        }
        if self.accelerate {
            if self.fips {
                return Err(Error::InvalidEndpoint {
                    reason: "Transfer Acceleration has no FIPS endpoint: turn one of them off",
                });
            }
            if region.starts_with("cn-") || region.starts_with("us-gov-") {
                return Err(Error::InvalidEndpoint {
                    reason: "Transfer Acceleration is not offered in the China and GovCloud regions",
                });
            }
            check_aws_region(region)?;
            out.push_str("s3-accelerate");
            if self.dualstack {
                out.push_str(".dualstack");
            }
            out.push_str(".amazonaws.com");
            return Ok(());
        }
        check_aws_region(region)?;
        out.push_str(if self.fips { "s3-fips" } else { "s3" });
        if self.dualstack {
            out.push_str(".dualstack");
        }
        push_region_domain(out, region);
        Ok(())
    }
}

impl Endpoint {
    /// Appends the host of S3 Express One Zone's zonal endpoint for the Availability (or
    /// Local) Zone `zone`: `s3express[-fips]-ZONE[.dualstack].REGION.amazonaws.com`; a
    /// custom endpoint's own authority otherwise.
    pub(crate) fn push_zonal_authority(
        &self,
        out: &mut String,
        zone: &str,
        region: &str,
    ) -> Result<()> {
        if matches!(self.kind, Kind::Custom { .. }) {
            return self.push_authority(out, region);
        }
        if self.accelerate {
            return Err(Error::InvalidEndpoint {
                reason: "directory buckets (S3 Express One Zone) have no Transfer Acceleration",
            });
        }
        check_aws_region(region)?;
        out.push_str(if self.fips {
            "s3express-fips-"
        } else {
            "s3express-"
        });
        out.push_str(zone);
        if self.dualstack {
            out.push_str(".dualstack");
        }
        push_region_domain(out, region);
        Ok(())
    }
}

/// Appends `.REGION.amazonaws.com` (`.amazonaws.com.cn` in China's regions).
fn push_region_domain(out: &mut String, region: &str) {
    out.push('.');
    out.push_str(region);
    out.push_str(if region.starts_with("cn-") {
        ".amazonaws.com.cn"
    } else {
        ".amazonaws.com"
    });
}

impl Default for Endpoint {
    /// [`Endpoint::aws`].
    fn default() -> Self {
        Self::aws()
    }
}

/// Whether `host` is a DNS name: labels of 1 to 63 letters, digits and `-`, neither
/// starting nor ending with `-`, the last not all digits (RFC 3696: that would be an
/// address).
fn is_dns_name(host: &str) -> bool {
    (1..=253).contains(&host.len())
        && !host
            .rsplit('.')
            .next()
            .is_some_and(|top| top.bytes().all(|b| b.is_ascii_digit()))
        && host.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Whether `host` is an IPv4 address: four numbers of 0 to 255.
fn is_ipv4(host: &str) -> bool {
    is_ipv4_like(host)
        && host
            .split('.')
            .all(|part| part.len() <= 3 && part.parse::<u8>().is_ok())
}

/// A provider's region goes into its host name: a DNS label.
fn check_provider_region(region: &str) -> Result<()> {
    let label = !region.is_empty()
        && region.len() <= 63
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-');
    if label {
        Ok(())
    } else {
        Err(Error::InvalidEndpoint {
            reason: "the provider's region goes into its host name: lower-case letters, \
                     digits and `-`, e.g. us-west-004, nyc3 or eu-central-1",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_hosts() {
        for ok in [
            "http://127.0.0.1:9000",
            "https://s3.example.com",
            "http://[::1]:9000",
            "https://123.example.com",
            "http://minio",
        ] {
            assert!(Endpoint::custom(ok).is_ok(), "{ok}");
        }
        for bad in [
            "https://-host",
            "https://_",
            "https://a_b.example.com",
            "http://1.2.3.4.5",
            "http://256.1.1.1",
            "https://host-.example.com",
            "https://a..b",
        ] {
            assert!(
                matches!(Endpoint::custom(bad), Err(Error::InvalidHost { .. })),
                "{bad}: {:?}",
                Endpoint::custom(bad)
            );
        }
    }

    #[test]
    fn provider_presets_check_their_inputs() {
        assert!(Endpoint::cloudflare_r2("").is_err());
        assert!(Endpoint::cloudflare_r2("0123456789abcdef0123456789abcde").is_err());
        assert!(Endpoint::cloudflare_r2("0123456789abcdef0123456789abcdeg").is_err());
        assert!(Endpoint::cloudflare_r2("0123456789ABCDEF0123456789ABCDEF").is_ok());
        for bad in ["", "US-WEST-004", "a.b", "-x", "x/y"] {
            assert!(Endpoint::backblaze_b2(bad).is_err(), "{bad}");
            assert!(Endpoint::wasabi(bad).is_err(), "{bad}");
            assert!(Endpoint::digitalocean_spaces(bad).is_err(), "{bad}");
        }
        assert!(Endpoint::backblaze_b2("us-west-004").is_ok());
    }

    #[test]
    fn aws_endpoints_need_aws_region_names() {
        for bad in ["US-EAST-1", "eu_west_1", "s3.eu-west-1.amazonaws.com"] {
            let mut out = String::new();
            assert!(
                matches!(
                    Endpoint::aws().push_authority(&mut out, bad),
                    Err(Error::InvalidScope { .. })
                ),
                "{bad}"
            );
            assert!(
                Endpoint::aws()
                    .with_accelerate(true)
                    .push_authority(&mut String::new(), bad)
                    .is_err()
            );
        }
        let mut out = String::new();
        Endpoint::custom("http://minio:9000")
            .unwrap()
            .push_authority(&mut out, "garage-region_1")
            .unwrap();
        assert_eq!(out, "minio:9000", "custom endpoints take any region");
    }
}
