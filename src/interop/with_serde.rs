//! `serde::Serialize` for what the crate hands back, in the shapes clients expect:
//! a presigned URL with its method, headers and expiry; a POST form as boto3's
//! `generate_presigned_post` returns it; a token with its expiry; the EKS `ExecCredential`.
//! Expiries are RFC 3339 text in UTC.

use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

use crate::rfc3339::Rfc3339;
use crate::s3::PresignedPost;
use crate::sigv4::PresignedUrl;
use crate::tokens::{AuthToken, ExecCredential};

/// `{"url": …, "method": "PUT", "headers": {"content-type": "image/png"}, "expires_at":
/// "2024-05-01T13:00:00Z"}`: everything a client needs to send the request. (The URL
/// carries the session token, if any: it is the credential.)
impl Serialize for PresignedUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("PresignedUrl", 4)?;
        out.serialize_field("url", self.url())?;
        out.serialize_field("method", self.method())?;
        out.serialize_field("headers", &Pairs(self.headers()))?;
        out.serialize_field("expires_at", &self.expires_at_rfc3339())?;
        out.end()
    }
}

/// `{"url": …, "fields": {…}}`, as boto3's `generate_presigned_post` returns it.
impl Serialize for PresignedPost {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("PresignedPost", 2)?;
        out.serialize_field("url", self.url())?;
        out.serialize_field("fields", &Pairs(self.fields()))?;
        out.end()
    }
}

/// `{"token": …, "expires_at": "…"}`. The token is a password: serialize it only to send
/// it to whoever is to use it.
impl Serialize for AuthToken {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("AuthToken", 2)?;
        out.serialize_field("token", self.as_str())?;
        out.serialize_field("expires_at", &Text(Rfc3339(self.expires_at())))?;
        out.end()
    }
}

/// The Kubernetes `ExecCredential`: `{"kind": "ExecCredential", "apiVersion": …, "spec":
/// {}, "status": {"expirationTimestamp": …, "token": …}}`.
impl Serialize for ExecCredential {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ExecCredential", 4)?;
        out.serialize_field("kind", "ExecCredential")?;
        out.serialize_field("apiVersion", self.version().api_version())?;
        out.serialize_field("spec", &Pairs(core::iter::empty::<(&str, &str)>()))?;
        out.serialize_field("status", &Status(self))?;
        out.end()
    }
}

struct Status<'a>(&'a ExecCredential);

impl Serialize for Status<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let token = self.0.token();
        let mut out = serializer.serialize_struct("Status", 2)?;
        out.serialize_field("expirationTimestamp", &Text(Rfc3339(token.expires_at())))?;
        out.serialize_field("token", token.as_str())?;
        out.end()
    }
}

/// Name/value pairs as a map.
struct Pairs<I>(I);

impl<'a, I: Iterator<Item = (&'a str, &'a str)> + Clone> Serialize for Pairs<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        for (name, value) in self.0.clone() {
            out.serialize_entry(name, value)?;
        }
        out.end()
    }
}

/// A `Display` value as a string.
struct Text<T>(T);

impl<T: core::fmt::Display> Serialize for Text<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}
