//! A bucket: its name (checked against S3's naming rules), region, endpoint and addressing
//! style, and the unsigned URLs of its objects.

use alloc::string::String;

use crate::encoding::{self, PATH};
use crate::error::{Error, Result};
use crate::presign::check_scope_part;
use crate::s3::Endpoint;
use crate::url::Scheme;

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
    name: String,
    region: String,
    endpoint: Endpoint,
    addressing: Addressing,
}

/// The longest object key S3 accepts, in bytes of UTF-8.
pub const MAX_KEY_LEN: usize = 1024;

impl Bucket {
    /// A bucket on AWS, addressed virtual-hosted where possible.
    ///
    /// Errors: [`Error::InvalidBucketName`] when the name breaks S3's rules (3 to 63
    /// characters; lower-case letters, digits, `.` and `-`; a letter or digit at both ends;
    /// no `..`; not an IP address; no reserved prefix or suffix), [`Error::InvalidScope`]
    /// for a malformed region.
    pub fn new(name: impl Into<String>, region: impl Into<String>) -> Result<Self> {
        let name = name.into();
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
            Addressing::Auto if self.endpoint.is_accelerate() => Addressing::VirtualHosted,
            Addressing::Auto
                if !self.endpoint.prefers_virtual_hosting()
                    || (self.name.contains('.') && self.endpoint.scheme() == Scheme::Https)
                    || bucket_name_problem(&self.name).is_some() =>
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
        check_key(key)?;
        let mut url = String::with_capacity(64 + self.name.len() + key.len() * 3);
        self.push_base(&mut url)?;
        url.push('/');
        encoding::push_encoded(&mut url, key.as_bytes(), PATH);
        Ok(url)
    }

    /// The unsigned URL of the bucket itself (for ListObjectsV2).
    pub fn bucket_url(&self) -> Result<String> {
        let mut url = String::with_capacity(64 + self.name.len());
        let addressing = self.push_base(&mut url)?;
        if addressing == Addressing::VirtualHosted {
            url.push('/');
        }
        Ok(url)
    }

    /// Appends `scheme://host[:port]`, plus `/BUCKET` when path-style.
    fn push_base(&self, url: &mut String) -> Result<Addressing> {
        let addressing = self.addressing();
        let endpoint = &self.endpoint;
        match addressing {
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
            _ => {}
        }
        url.push_str(endpoint.scheme().as_str());
        url.push_str("://");
        if addressing == Addressing::VirtualHosted {
            url.push_str(&self.name);
            url.push('.');
        }
        endpoint.push_authority(url, &self.region)?;
        if addressing == Addressing::Path {
            url.push('/');
            encoding::push_encoded(url, self.name.as_bytes(), encoding::UNRESERVED);
        }
        Ok(addressing)
    }
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
    if name.split('.').count() == 4
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
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
