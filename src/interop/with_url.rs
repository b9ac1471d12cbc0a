//! `url` 2.x: a `url::Url` wherever a URL is taken, and a `url::Url` back, refused when a
//! WHATWG parser would not send the path that was signed.

use alloc::borrow::Cow;
use alloc::string::String;

use crate::error::{Error, Result};
use crate::sigv4::{IntoUrl, PathEncoding, PresignedUrl};

impl<'a> IntoUrl<'a> for &'a url::Url {
    fn into_url(self) -> Cow<'a, str> {
        Cow::Borrowed(self.as_str())
    }
}

impl<'a> IntoUrl<'a> for url::Url {
    fn into_url(self) -> Cow<'a, str> {
        Cow::Owned(self.into())
    }
}

impl PresignedUrl {
    /// The URL as a [`url::Url`], for clients that take one (reqwest, `object_store`).
    ///
    /// Refused ([`Error::PathRewrittenByUrlParsers`]) when the `url` crate, like every
    /// WHATWG URL parser (browsers, reqwest, Node's `fetch`), would send another path than
    /// the one signed and the signature does not cover the rewritten one: an S3 key with a
    /// `.` or `..` segment (`a/../b`, also written `%2E%2E`) is resolved away, and the store
    /// answers 403. Such a key is reachable only by clients that send paths as written
    /// (`curl --path-as-is`, the AWS SDKs). (Other services sign the normalised path, so
    /// the resolved URL is returned.)
    ///
    /// ```
    /// use sigv4_presign::{Credentials, PresignRequest, Presigner};
    ///
    /// let presigner = Presigner::new(Credentials::new("AKID", "secret")?, "us-east-1", "s3")?;
    /// let now = time::macros::datetime!(2024-05-01 12:00 UTC);
    /// let base = url::Url::parse("https://bucket.s3.amazonaws.com/photos/cat.jpg")?;
    /// let signed = presigner.presign(&PresignRequest::get(&base), now)?;
    /// let url: url::Url = signed.to_url()?;
    /// assert_eq!(url.as_str(), signed.url());
    ///
    /// let dots = presigner.presign(&PresignRequest::get("https://bucket.s3.amazonaws.com/a/%2E%2E/b"), now)?;
    /// assert!(dots.to_url().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_url(&self) -> Result<url::Url> {
        let parsed = url::Url::parse(self.url()).map_err(|_| Error::MalformedUrl {
            reason: "the url crate cannot parse the presigned URL",
        })?;
        if parsed.as_str() != self.url() {
            let signed = self.url_without_scheme();
            let signed_path = signed
                .find('/')
                .map_or("/", |at| &signed[at..])
                .split('?')
                .next()
                .unwrap_or_default();
            if parsed.path() != signed_path {
                // A service whose signature covers the normalised path (all but S3) still
                // accepts the path a WHATWG client resolved.
                if self.path_encoding != PathEncoding::S3 && self.normalize_path {
                    return Ok(parsed);
                }
                return Err(Error::PathRewrittenByUrlParsers {
                    signed: clip(signed_path),
                    sent: clip(parsed.path()),
                });
            }
            return Err(Error::MalformedUrl {
                reason: "the url crate writes this URL's host or query differently from the \
                         signed one; sign the URL as url::Url writes it",
            });
        }
        Ok(parsed)
    }
}

fn clip(text: &str) -> String {
    text.chars().take(256).collect()
}
