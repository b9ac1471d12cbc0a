//! A bucket: its name (checked against S3's naming rules), region, endpoint and addressing
//! style, and the unsigned URLs of its objects.

use alloc::format;
use alloc::string::{String, ToString};

use crate::error::{Error, Result};
use crate::s3::Endpoint;
use crate::sigv4::{
    PATH, PathEncoding, PayloadHash, Presigner, Scheme, Settings, Target, check_scope_part,
    is_ipv4_like, is_s3_service, push_encoded,
};

/// How the bucket appears in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Addressing {
    /// Virtual-hosted on AWS and the providers' endpoints, except where it cannot work (a
    /// bucket name with a `.` over https would break the wildcard TLS certificate; a name
    /// that is not a DNS label cannot be a host); path-style on custom endpoints (see
    /// [`Endpoint::custom`]) and IP addresses.
    #[default]
    Auto,
    /// `https://BUCKET.s3.REGION.amazonaws.com/KEY`.
    VirtualHosted,
    /// `https://s3.REGION.amazonaws.com/BUCKET/KEY` (MinIO and most self-hosted stores
    /// need it unless they are configured with a domain).
    Path,
}

/// An S3 bucket: name, region, endpoint and addressing style.
///
/// ```
/// use sigv4_presign::s3::{Addressing, Bucket, Endpoint};
///
/// let bucket = Bucket::new("my-bucket", "eu-west-1")?;
/// assert_eq!(
///     bucket.object_url("photos/cat 1.jpg")?,
///     "https://my-bucket.s3.eu-west-1.amazonaws.com/photos/cat%201.jpg"
/// );
///
/// let minio = Bucket::new("uploads", "us-east-1")?.with_endpoint(Endpoint::custom("http://minio:9000")?);
/// assert_eq!(minio.object_url("a.txt")?, "http://minio:9000/uploads/a.txt");
///
/// let dotted = Bucket::new("www.example.com", "us-east-1")?;
/// assert_eq!(dotted.addressing(), Addressing::Path);
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bucket {
    pub(super) name: String,
    pub(super) region: String,
    endpoint: Endpoint,
    addressing: Addressing,
    pub(super) kind: Kind,
}

/// The suffix that marks a directory bucket of S3 Express One Zone.
pub(super) const DIRECTORY_SUFFIX: &str = "--x-s3";

/// The signing name of directory buckets (S3 Express One Zone).
pub const S3_EXPRESS_SERVICE: &str = "s3express";

/// What kind of bucket a [`Bucket`] names, which decides its host and how it is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    /// A general purpose bucket.
    General,
    /// A Multi-Region Access Point: its alias is the name, its region `*`; SigV4a only.
    MultiRegionAccessPoint,
    /// A directory bucket of S3 Express One Zone (`NAME--ZONE--x-s3`), signed for
    /// `s3express` at its zonal endpoint.
    Directory,
}

/// The longest object key S3 accepts, in bytes of UTF-8.
pub const MAX_KEY_LEN: usize = 1024;

impl Bucket {
    /// A bucket on AWS, addressed virtual-hosted where possible. A name ending in `--x-s3`
    /// is a directory bucket of S3 Express One Zone (see [`Bucket::directory`]).
    ///
    /// Errors: [`Error::InvalidBucketName`] when the name breaks S3's rules (3 to 63
    /// characters; lower-case letters, digits, `.` and `-`; a letter or digit at both ends;
    /// no `..`; not an IP address; no reserved prefix or suffix), [`Error::InvalidScope`]
    /// for a malformed region.
    pub fn new(name: impl Into<String>, region: impl Into<String>) -> Result<Self> {
        let name = name.into();
        if name.ends_with(DIRECTORY_SUFFIX) {
            return Self::directory(name, region);
        }
        check_bucket_name(&name)?;
        Self::new_unchecked(name, region)
    }

    /// A bucket whose name breaks AWS's rules for new buckets but that exists all the same:
    /// a legacy us-east-1 bucket (`My_Bucket`), a Google Cloud Storage bucket (`_` and up to
    /// 222 characters), a Ceph bucket. The name must be 1 to 255 characters without `/`,
    /// spaces or control characters; [`Addressing::Auto`] addresses such a name path-style.
    pub fn new_unchecked(name: impl Into<String>, region: impl Into<String>) -> Result<Self> {
        let name = name.into();
        let region = region.into();
        if name.is_empty()
            || name.len() > 255
            || name.bytes().any(|b| b <= b' ' || b == b'/' || b == 0x7f)
        {
            return Err(Error::InvalidBucketName {
                name,
                reason: "even an unchecked bucket name is 1 to 255 characters without `/`, spaces or control characters",
            });
        }
        check_scope_part("region", &region)?;
        Ok(Self {
            name,
            region,
            endpoint: Endpoint::aws(),
            addressing: Addressing::Auto,
            kind: Kind::General,
        })
    }

    /// Sets the endpoint (AWS by default).
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Sets the addressing style ([`Addressing::Auto`] by default).
    pub fn with_addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// The bucket's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bucket's region, which a [`Presigner`](crate::Presigner) for it must share.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The addressing style configured (possibly [`Addressing::Auto`]).
    pub fn configured_addressing(&self) -> Addressing {
        self.addressing
    }

    /// The addressing style in use: [`Addressing::Auto`] resolved to
    /// [`Addressing::VirtualHosted`] or [`Addressing::Path`].
    pub fn addressing(&self) -> Addressing {
        match self.addressing {
            Addressing::Auto if self.kind == Kind::MultiRegionAccessPoint => {
                Addressing::VirtualHosted
            }
            Addressing::Auto if self.kind == Kind::Directory && self.endpoint.is_aws() => {
                Addressing::VirtualHosted
            }
            Addressing::Auto if self.endpoint.is_accelerate() => Addressing::VirtualHosted,
            Addressing::Auto
                if !self.endpoint.prefers_virtual_hosting()
                    || (self.name.contains('.') && self.endpoint.scheme() == Scheme::Https)
                    || bucket_name_problem(&self.name).is_some()
                    || !is_host_name(&self.name) =>
            {
                Addressing::Path
            }
            Addressing::Auto => Addressing::VirtualHosted,
            explicit => explicit,
        }
    }

    /// The unsigned URL of the object `key`. The key is taken raw (any UTF-8 up to 1024
    /// bytes: spaces, `+`, `%`, `?`, `#`, `..`, `//`, a leading `/`) and encoded as S3
    /// expects, never normalised. (A key with `.` or `..` segments reaches S3 intact only
    /// through clients that send the path as it is: browsers and WHATWG URL parsers resolve
    /// dot segments, even escaped ones.)
    pub fn object_url(&self, key: &str) -> Result<String> {
        Ok(url_of(&self.target(Some(key))?))
    }

    /// The unsigned URL of the bucket itself (for ListObjectsV2).
    pub fn bucket_url(&self) -> Result<String> {
        Ok(url_of(&self.target(None)?))
    }

    /// Where a request for the object `key` (or, with `None`, the bucket) goes: the
    /// endpoint's scheme and host (the bucket's label in front when virtual-hosted), and
    /// the raw path (`/BUCKET` in front when path-style), which the signer encodes.
    ///
    /// Errors: [`Error::InvalidObjectKey`], and [`Error::InvalidEndpoint`] when the
    /// addressing cannot work with the endpoint.
    pub fn target(&self, key: Option<&str>) -> Result<Target<'static>> {
        if let Some(key) = key {
            check_key(key)?;
        }
        if self.kind == Kind::MultiRegionAccessPoint {
            return self.access_point_target(key);
        }
        let addressing = self.addressing();
        let endpoint = &self.endpoint;
        match addressing {
            Addressing::VirtualHosted if !is_host_name(&self.name) => {
                return Err(Error::InvalidBucketName {
                    name: self.name.clone(),
                    reason: "virtual-hosted addressing puts the bucket in the host name, which \
                             takes lower-case letters, digits, `-` and `.` only: use \
                             path-style addressing for this bucket",
                });
            }
            Addressing::VirtualHosted if !endpoint.supports_virtual_hosting() => {
                return Err(Error::InvalidEndpoint {
                    reason: "an IP-address endpoint cannot carry the bucket in its host name: \
                             use path-style addressing",
                });
            }
            Addressing::VirtualHosted if endpoint.is_accelerate() && self.name.contains('.') => {
                return Err(Error::InvalidEndpoint {
                    reason: "Transfer Acceleration needs a bucket name without `.`",
                });
            }
            Addressing::Path if endpoint.is_accelerate() => {
                return Err(Error::InvalidEndpoint {
                    reason: "Transfer Acceleration needs virtual-hosted addressing, not path-style",
                });
            }
            Addressing::Path if self.kind == Kind::Directory && endpoint.is_aws() => {
                return Err(Error::InvalidEndpoint {
                    reason: "a directory bucket's zonal endpoint is addressed virtual-hosted only",
                });
            }
            _ => {}
        }
        let mut authority = String::with_capacity(64 + self.name.len());
        let mut path = String::with_capacity(2 + self.name.len() + key.map_or(0, str::len));
        if addressing == Addressing::VirtualHosted {
            authority.push_str(&self.name);
            authority.push('.');
        } else {
            path.push('/');
            path.push_str(&self.name);
        }
        match self.zone() {
            Some(zone) => endpoint.push_zonal_authority(&mut authority, zone, &self.region)?,
            None => endpoint.push_authority(&mut authority, &self.region)?,
        }
        if let Some(key) = key {
            path.push('/');
            path.push_str(key);
        } else if path.is_empty() {
            path.push('/');
        }
        Ok(Target::new(endpoint.scheme(), authority)?.with_raw_path(path))
    }

    /// Checks that `presigner` signs for this bucket: its region, an S3 signing name, and
    /// S3's settings.
    ///
    /// Errors: [`Error::PresignerMismatch`].
    pub fn check_presigner(&self, presigner: &Presigner) -> Result<()> {
        if self.kind == Kind::MultiRegionAccessPoint {
            return Err(Error::NeedsSigV4a {
                what: "a Multi-Region Access Point",
                hint: if cfg!(feature = "sigv4a") {
                    "presign with S3Request::presign_sigv4a and a sigv4a::Presigner for region set *"
                } else {
                    "build with the sigv4a feature and presign with S3Request::presign_sigv4a"
                },
            });
        }
        let mismatch = |reason: String| Err(Error::PresignerMismatch { reason });
        if presigner.region() != self.region() {
            return mismatch(format!(
                "it signs for region {:?} but the bucket is in {:?}: use a presigner for the \
                 bucket's region",
                presigner.region(),
                self.region()
            ));
        }
        if !is_s3_service(presigner.service()) {
            return mismatch(format!(
                "it signs for the service {:?}: S3 and S3-compatible stores check the signing \
                 name s3",
                presigner.service()
            ));
        }
        if self.kind == Kind::Directory
            && self.endpoint.is_aws()
            && presigner.service() != S3_EXPRESS_SERVICE
        {
            return mismatch(format!(
                "it signs for the service {:?}, but directory buckets (S3 Express One Zone) \
                 check the signing name s3express: use Presigner::new(credentials, region, \
                 \"s3express\")",
                presigner.service()
            ));
        }
        check_s3_settings(presigner.settings())
    }
}

/// Checks that `settings` are S3's, as a presigner for a bucket needs.
pub(super) fn check_s3_settings(settings: &Settings) -> Result<()> {
    if settings.path_encoding != PathEncoding::S3 || settings.normalize_path {
        return Err(Error::PresignerMismatch {
            reason: "its settings normalise or double-encode paths, which would sign another key \
                     than S3 reads: use Settings::s3() (Presigner::new with service \"s3\" does)"
                .to_string(),
        });
    }
    if settings.payload_hash != PayloadHash::Unsigned {
        return Err(Error::PresignerMismatch {
            reason: "its payload hash is not UNSIGNED-PAYLOAD, which S3 expects of a presigned \
                     URL that does not sign x-amz-content-sha256: use Settings::s3()"
                .to_string(),
        });
    }
    Ok(())
}

/// `scheme://host[:port]/path` of a target with a raw path, encoded as the signer does.
fn url_of(target: &Target<'_>) -> String {
    let mut url = String::with_capacity(16 + target.host().len() + 3 * target.path().len());
    url.push_str(target.scheme().as_str());
    url.push_str("://");
    target.push_authority(&mut url);
    push_encoded(&mut url, target.path().as_bytes(), PATH);
    url
}

/// Whether `name` can stand in front of a host name: dot-separated DNS labels of 1 to 63
/// lower-case letters, digits and `-`, neither starting nor ending with `-`.
fn is_host_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Checks an object key: 1 to 1024 bytes.
pub(crate) fn check_key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::InvalidObjectKey {
            reason: "the key is empty: name the object, e.g. photos/cat.jpg",
        });
    }
    if key.len() > MAX_KEY_LEN {
        return Err(Error::InvalidObjectKey {
            reason: "the key is longer than S3's limit of 1024 bytes (UTF-8)",
        });
    }
    Ok(())
}

/// Checks S3's rules for general purpose bucket names.
pub(crate) fn check_bucket_name(name: &str) -> Result<()> {
    let reason = bucket_name_problem(name);
    match reason {
        None => Ok(()),
        Some(reason) => Err(Error::InvalidBucketName {
            name: name.into(),
            reason,
        }),
    }
}

fn bucket_name_problem(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    if !(3..=63).contains(&bytes.len()) {
        return Some("a bucket name is 3 to 63 characters long");
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
    {
        return Some("a bucket name holds only lower-case letters, digits, `.` and `-`");
    }
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(alnum) || !bytes.last().is_some_and(alnum) {
        return Some("a bucket name begins and ends with a letter or digit");
    }
    if name.contains("..") {
        return Some("a bucket name has no two adjacent periods");
    }
    if is_ipv4_like(name) {
        return Some("a bucket name must not look like an IP address");
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(prefix) {
            return Some("a bucket name must not start with xn--, sthree- or amzn-s3-demo-");
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if name.ends_with(suffix) {
            return Some(
                "a bucket name must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3",
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names() {
        for ok in [
            "abc",
            "my-bucket",
            "my.bucket.name",
            "a1-b2.c3",
            &"a".repeat(63),
            "192.168.5.4x",
        ] {
            assert!(check_bucket_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            &"a".repeat(64),
            "My-Bucket",
            "my_bucket",
            "-bucket",
            "bucket-",
            ".bucket",
            "my..bucket",
            "192.168.5.4",
            "xn--bucket",
            "sthree-bucket",
            "amzn-s3-demo-bucket",
            "bucket-s3alias",
            "bucket--ol-s3",
            "bucket.mrap",
            "bucket--x-s3",
            "bucket--table-s3",
            "bück",
        ] {
            assert!(
                matches!(check_bucket_name(bad), Err(Error::InvalidBucketName { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn host_names() {
        for ok in [
            "abc",
            "my-bucket",
            "my.bucket.name",
            "a",
            "0",
            &"a".repeat(63),
        ] {
            assert!(is_host_name(ok), "{ok}");
        }
        for bad in [
            "evil.example?",
            "evil.example\\",
            "a#b",
            "a@b",
            "a:b",
            "My_Bucket",
            "Upper",
            "-a",
            "a-",
            "a..b",
            ".a",
            "",
            &"a".repeat(64),
        ] {
            assert!(!is_host_name(bad), "{bad}");
        }
    }

    #[test]
    fn keys() {
        assert!(check_key("a").is_ok());
        assert!(check_key(&"k".repeat(1024)).is_ok());
        assert!(matches!(check_key(""), Err(Error::InvalidObjectKey { .. })));
        assert!(matches!(
            check_key(&"k".repeat(1025)),
            Err(Error::InvalidObjectKey { .. })
        ));
        // 1024 bytes of UTF-8, fewer characters.
        assert!(check_key(&"é".repeat(512)).is_ok());
        assert!(check_key(&"é".repeat(513)).is_err());
    }
}
