//! The options of each S3 operation: what [`S3Request`] offers depends on the operation it
//! was made for. Every header option is signed, so the client must send it as given.

use alloc::format;
use alloc::string::{String, ToString};

use crate::error::Error;
use crate::s3::content_disposition::is_header_safe;
use crate::s3::operations::{ChecksumAlgorithm, S3Request, op};
use crate::sigv4::{UNRESERVED, push_encoded};

macro_rules! options {
    ($($op:ident),+ => $body:tt) => {$(
        impl<'b> S3Request<'b, op::$op> $body
    )+};
}

options!(GetObject, HeadObject, DeleteObject => {
    /// Targets one version of the object (`versionId`).
    pub fn version_id(self, version_id: impl Into<String>) -> Self {
        self.param("versionId", version_id)
    }
});

options!(GetObject, HeadObject => {
    /// Signs a `Range` header (e.g. `bytes=0-1023`): the client must send it.
    pub fn range(self, range: impl Into<String>) -> Self {
        self.signed_header("range", range)
    }
});

options!(GetObject => {
    /// Overrides the response's `Content-Type` (`response-content-type`).
    pub fn response_content_type(self, value: impl Into<String>) -> Self {
        self.param("response-content-type", value)
    }

    /// Overrides the response's `Content-Disposition`, e.g.
    /// `attachment; filename="report.pdf"` (`response-content-disposition`). For a file
    /// name that is not plain ASCII, pass
    /// [`content_disposition_attachment`](crate::s3::content_disposition_attachment)`(name)`:
    /// a raw UTF-8 value is refused ([`Error::NonAsciiHeaderValue`]), as browsers would
    /// mangle it.
    pub fn response_content_disposition(self, value: impl Into<String>) -> Self {
        let value = value.into();
        if !is_header_safe(&value) {
            return self.fail(non_ascii_disposition("response-content-disposition"));
        }
        self.param("response-content-disposition", value)
    }

    /// Overrides the response's `Cache-Control` (`response-cache-control`).
    pub fn response_cache_control(self, value: impl Into<String>) -> Self {
        self.param("response-cache-control", value)
    }

    /// Overrides the response's `Expires` (`response-expires`).
    pub fn response_expires(self, value: impl Into<String>) -> Self {
        self.param("response-expires", value)
    }

    /// Overrides the response's `Content-Language` (`response-content-language`).
    pub fn response_content_language(self, value: impl Into<String>) -> Self {
        self.param("response-content-language", value)
    }

    /// Overrides the response's `Content-Encoding` (`response-content-encoding`).
    pub fn response_content_encoding(self, value: impl Into<String>) -> Self {
        self.param("response-content-encoding", value)
    }
});

options!(PutObject, CopyObject, CreateMultipartUpload => {
    /// Signs `Content-Type`: the upload must carry exactly this type.
    pub fn content_type(self, value: impl Into<String>) -> Self {
        self.signed_header("content-type", value)
    }

    /// Signs `Cache-Control`.
    pub fn cache_control(self, value: impl Into<String>) -> Self {
        self.signed_header("cache-control", value)
    }

    /// Signs `Content-Disposition`, which downloads of the object will carry. For a file
    /// name that is not plain ASCII, pass
    /// [`content_disposition_attachment`](crate::s3::content_disposition_attachment)`(name)`:
    /// a raw UTF-8 value is refused ([`Error::NonAsciiHeaderValue`]).
    pub fn content_disposition(self, value: impl Into<String>) -> Self {
        let value = value.into();
        if !is_header_safe(&value) {
            return self.fail(non_ascii_disposition("content-disposition"));
        }
        self.signed_header("content-disposition", value)
    }

    /// Signs `Content-Encoding`.
    pub fn content_encoding(self, value: impl Into<String>) -> Self {
        self.signed_header("content-encoding", value)
    }

    /// Signs a canned ACL, `x-amz-acl` (e.g. `private`, `public-read`).
    pub fn acl(self, acl: impl Into<String>) -> Self {
        self.signed_header("x-amz-acl", acl)
    }

    /// Signs `x-amz-storage-class` (e.g. `STANDARD_IA`, `GLACIER_IR`).
    pub fn storage_class(self, class: impl Into<String>) -> Self {
        self.signed_header("x-amz-storage-class", class)
    }

    /// Signs `x-amz-tagging`, built from raw `(key, value)` tags.
    pub fn tagging<K: AsRef<str>, V: AsRef<str>>(self, tags: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut value = String::new();
        for (key, tag) in tags {
            if !value.is_empty() {
                value.push('&');
            }
            push_encoded(&mut value, key.as_ref().as_bytes(), UNRESERVED);
            value.push('=');
            push_encoded(&mut value, tag.as_ref().as_bytes(), UNRESERVED);
        }
        self.signed_header("x-amz-tagging", value)
    }

    /// Signs `x-amz-server-side-encryption` (`AES256`, `aws:kms`, `aws:kms:dsse`).
    pub fn server_side_encryption(self, algorithm: impl Into<String>) -> Self {
        self.signed_header("x-amz-server-side-encryption", algorithm)
    }

    /// Signs `x-amz-server-side-encryption-aws-kms-key-id`.
    pub fn sse_kms_key_id(self, key_id: impl Into<String>) -> Self {
        self.signed_header("x-amz-server-side-encryption-aws-kms-key-id", key_id)
    }

    /// Signs a user metadata header, `x-amz-meta-NAME` (NAME must be an HTTP token).
    pub fn metadata(self, name: impl AsRef<str>, value: impl Into<String>) -> Self {
        self.signed_header(format!("x-amz-meta-{}", name.as_ref().to_ascii_lowercase()), value)
    }
});

options!(PutObject, UploadPart => {
    /// Signs `Content-MD5` (base64 of the body's MD5).
    pub fn content_md5(self, base64_md5: impl Into<String>) -> Self {
        self.signed_header("content-md5", base64_md5)
    }

    /// Signs `Content-Length`: the body must have exactly this size.
    pub fn content_length(self, length: u64) -> Self {
        self.signed_header("content-length", length.to_string())
    }

    /// Signs an `x-amz-checksum-*` header with the base64 checksum of the body.
    pub fn checksum(self, algorithm: ChecksumAlgorithm, base64_value: impl Into<String>) -> Self {
        self.signed_header(algorithm.header(), base64_value)
    }
});

options!(PutObject, CompleteMultipartUpload => {
    /// Signs `If-None-Match: *`: the write succeeds only if no object has the key yet;
    /// otherwise S3 answers `412 Precondition Failed` and keeps the object (a create-only
    /// upload link).
    pub fn if_none_match(self) -> Self {
        self.signed_header("if-none-match", "*")
    }

    /// Signs `If-Match: ETAG`: the write succeeds only if the object's current ETag is
    /// `etag` (as S3 returned it, quotes and all; an unquoted value is quoted, a weak
    /// `W/"…"` one kept as given); otherwise S3 answers `412 Precondition Failed`
    /// (compare-and-swap).
    pub fn if_match(self, etag: impl Into<String>) -> Self {
        let etag = etag.into();
        let quoted = etag.len() >= 2 && etag.starts_with('"') && etag.ends_with('"');
        let weak = etag.starts_with("W/\"");
        let etag = if quoted || weak { etag } else { format!("\"{etag}\"") };
        self.signed_header("if-match", etag)
    }
});

options!(CreateMultipartUpload => {
    /// Signs `x-amz-checksum-algorithm`: the parts will carry checksums of this kind.
    pub fn checksum_algorithm(self, algorithm: ChecksumAlgorithm) -> Self {
        self.signed_header("x-amz-checksum-algorithm", algorithm.as_str())
    }
});

options!(CopyObject => {
    /// Copies one version of the source (adds `?versionId=` to `x-amz-copy-source`,
    /// replacing an earlier one).
    pub fn source_version_id(mut self, version_id: &str) -> Self {
        if let Some((_, source)) = self.headers.iter_mut().find(|(n, _)| n == "x-amz-copy-source") {
            if let Some(at) = source.find("?versionId=") {
                source.truncate(at);
            }
            source.push_str("?versionId=");
            push_encoded(source, version_id.as_bytes(), UNRESERVED);
        }
        self
    }

    /// Signs `x-amz-metadata-directive`: `COPY` (default) or `REPLACE`. S3 keeps the
    /// source's metadata and Content-Type unless this is `REPLACE`, whatever else is signed;
    /// tags likewise need `x-amz-tagging-directive: REPLACE` (see [`S3Request::header`]).
    pub fn metadata_directive(self, directive: impl Into<String>) -> Self {
        self.signed_header("x-amz-metadata-directive", directive)
    }
});

options!(ListParts => {
    /// At most this many parts (`max-parts`).
    pub fn max_parts(self, max: u32) -> Self {
        self.param("max-parts", max.to_string())
    }

    /// Parts after this number (`part-number-marker`).
    pub fn part_number_marker(self, marker: u32) -> Self {
        self.param("part-number-marker", marker.to_string())
    }
});

options!(ListObjectsV2 => {
    /// Only keys that start with `prefix`.
    pub fn prefix(self, prefix: impl Into<String>) -> Self {
        self.param("prefix", prefix)
    }

    /// Groups keys up to the next `delimiter` into common prefixes (usually `/`).
    pub fn delimiter(self, delimiter: impl Into<String>) -> Self {
        self.param("delimiter", delimiter)
    }

    /// Continues a truncated listing (`continuation-token` from the previous response).
    pub fn continuation_token(self, token: impl Into<String>) -> Self {
        self.param("continuation-token", token)
    }

    /// Starts after this key.
    pub fn start_after(self, key: impl Into<String>) -> Self {
        self.param("start-after", key)
    }

    /// At most this many keys (S3 returns at most 1000).
    pub fn max_keys(self, max: u32) -> Self {
        self.param("max-keys", max.to_string())
    }

    /// Asks S3 to URL-encode the keys in the response (`encoding-type=url`, the only
    /// encoding there is).
    pub fn encoding_type_url(self) -> Self {
        self.param("encoding-type", "url")
    }

    /// Includes each object's owner (`fetch-owner=true`).
    pub fn fetch_owner(self) -> Self {
        self.param("fetch-owner", "true")
    }
});

fn non_ascii_disposition(name: &'static str) -> Error {
    Error::NonAsciiHeaderValue {
        name,
        hint: "write the file name with s3::content_disposition_attachment(name) (or _inline), \
               which adds an ASCII fallback and filename*=UTF-8''...",
    }
}
