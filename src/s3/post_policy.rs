//! S3 POST policies ("presigned POST"): an HTML form that uploads straight to S3, within
//! limits the policy sets (size, type, key prefix) — what a presigned PUT cannot bound.
//!
//! ```
//! use sigv4_presign::s3::Bucket;
//! use sigv4_presign::{Credentials, Presigner};
//! use time::macros::datetime;
//!
//! let presigner = Presigner::new(Credentials::new("AKIDEXAMPLE", "secret")?, "eu-west-1", "s3")?;
//! let bucket = Bucket::new("uploads-bucket", "eu-west-1")?;
//! let post = bucket
//!     .post_policy_with_prefix("avatars/user-42/")
//!     .content_length_range(1, 5 * 1024 * 1024)
//!     .content_type_starts_with("image/")
//!     .presign(&presigner, datetime!(2024-05-01 12:00 UTC))?;
//!
//! assert_eq!(post.url(), "https://uploads-bucket.s3.eu-west-1.amazonaws.com/");
//! // The form sends these fields, then Content-Type, then the file field last.
//! let names: Vec<&str> = post.fields().map(|(name, _)| name).collect();
//! assert_eq!(names, ["key", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "policy", "x-amz-signature"]);
//! # Ok::<(), sigv4_presign::Error>(())
//! ```
//!
//! The policy document is JSON built here with full escaping, so no key, field or
//! metadata value can add a condition of its own; every field the form is given has a
//! condition (S3 refuses forms with fields the policy does not list).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;
use core::time::Duration;

use time::OffsetDateTime;

use crate::base64;
use crate::error::{Error, Result};
use crate::json::push_json_string;
use crate::s3::bucket::check_key;
use crate::s3::{Bucket, ChecksumAlgorithm};
use crate::sigv4::Timestamp;
use crate::sigv4::params::ALGORITHM;
use crate::sigv4::{
    AmzDate, DEFAULT_EXPIRES_IN, Presigner, Rfc3339, check_expires, encode_32, fit_to_credentials,
};

/// Fields the form writes itself, which no condition or field of the caller's may name.
const RESERVED_FIELDS: [&str; 9] = [
    "bucket",
    "file",
    "key",
    "policy",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-signature",
];

/// One condition of the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Condition {
    /// `{"name": "value"}`
    Eq(String, String),
    /// `["starts-with", "$name", "prefix"]`
    StartsWith(String, String),
    /// `["content-length-range", min, max]`
    LengthRange(u64, u64),
}

/// A POST policy being built: made by [`Bucket::post_policy`] or
/// [`Bucket::post_policy_with_prefix`], signed by [`PostPolicy::presign`].
#[derive(Debug, Clone)]
#[must_use = "a PostPolicy does nothing until it is presigned"]
pub struct PostPolicy<'b> {
    bucket: &'b Bucket,
    key: String,
    key_prefix: Option<String>,
    conditions: Vec<Condition>,
    fields: Vec<(String, String)>,
    expires_in: Duration,
    clamp_to_credentials: bool,
}

/// A signed POST policy: where the form posts, and the fields it sends before the file.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    url: String,
    fields: Vec<(String, String)>,
}

impl Bucket {
    /// A POST policy for uploads to exactly `key`. A key ending in `${filename}` stands
    /// for the name of the file the browser sends (S3 substitutes it), and the policy
    /// then bounds the key by its prefix only, as boto3 does.
    pub fn post_policy(&self, key: impl Into<String>) -> PostPolicy<'_> {
        let key = key.into();
        let key_prefix = key.strip_suffix("${filename}").map(String::from);
        PostPolicy {
            bucket: self,
            key,
            key_prefix,
            conditions: Vec::new(),
            fields: Vec::new(),
            expires_in: DEFAULT_EXPIRES_IN,
            clamp_to_credentials: false,
        }
    }

    /// A POST policy for uploads to any key under `prefix`: the form's key is
    /// `PREFIX${filename}`, which the page may replace with any key under the prefix.
    pub fn post_policy_with_prefix(&self, prefix: impl Into<String>) -> PostPolicy<'_> {
        let mut key = prefix.into();
        key.push_str("${filename}");
        self.post_policy(key)
    }
}

impl PostPolicy<'_> {
    fn field_eq(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        self.conditions
            .push(Condition::Eq(name.clone(), value.clone()));
        self.fields.push((name, value));
        self
    }

    /// How long the form stays usable (1 s to 7 days; one hour by default).
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// When the presigner's credentials expire before the form would, ends the form with
    /// them instead of refusing it (see
    /// [`PresignRequest::clamp_to_credentials`](crate::PresignRequest::clamp_to_credentials)).
    pub fn clamp_to_credentials(mut self) -> Self {
        self.clamp_to_credentials = true;
        self
    }

    /// Bounds the size of the upload, in bytes (`content-length-range`).
    pub fn content_length_range(mut self, min: u64, max: u64) -> Self {
        self.conditions.push(Condition::LengthRange(min, max));
        self
    }

    /// Requires exactly this Content-Type (sent as a form field).
    pub fn content_type(self, content_type: impl Into<String>) -> Self {
        self.field_eq("Content-Type", content_type)
    }

    /// Requires a Content-Type starting with `prefix` (say `image/`); the form adds its own
    /// `Content-Type` field.
    pub fn content_type_starts_with(self, prefix: impl Into<String>) -> Self {
        self.field_starts_with("Content-Type", prefix)
    }

    /// The HTTP status S3 answers a successful upload with (200, 201 or 204).
    pub fn success_action_status(self, status: u16) -> Self {
        self.field_eq("success_action_status", status.to_string())
    }

    /// Where S3 redirects the browser after a successful upload.
    pub fn success_action_redirect(self, url: impl Into<String>) -> Self {
        self.field_eq("success_action_redirect", url)
    }

    /// A canned ACL (`private`, `public-read`, …).
    pub fn acl(self, acl: impl Into<String>) -> Self {
        self.field_eq("acl", acl)
    }

    /// User metadata, `x-amz-meta-NAME`.
    pub fn metadata(self, name: impl AsRef<str>, value: impl Into<String>) -> Self {
        let name = alloc::format!("x-amz-meta-{}", name.as_ref().to_ascii_lowercase());
        self.field_eq(name, value)
    }

    /// Object tags, as S3's `<Tagging>` XML document.
    pub fn tagging(self, xml: impl Into<String>) -> Self {
        self.field_eq("tagging", xml)
    }

    /// A checksum the upload must match (base64 value), with its algorithm.
    pub fn checksum(self, algorithm: ChecksumAlgorithm, base64_value: impl Into<String>) -> Self {
        let header = alloc::format!("x-amz-checksum-{}", algorithm.as_str().to_ascii_lowercase());
        self.field_eq("x-amz-checksum-algorithm", algorithm.as_str())
            .field_eq(header, base64_value)
    }

    /// Any other field, sent with exactly this value.
    pub fn field(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.field_eq(name, value)
    }

    /// Allows a field the form sets itself, whose value must start with `prefix` (empty:
    /// any value).
    pub fn field_starts_with(mut self, name: impl Into<String>, prefix: impl Into<String>) -> Self {
        self.conditions
            .push(Condition::StartsWith(name.into(), prefix.into()));
        self
    }

    /// Refuses what S3 would refuse, or what would make the form another than the one
    /// asked for: a field the form writes itself or named twice, a name with a control
    /// character or `"`, a key S3 does not take, a size range upside down.
    fn check(&self) -> Result<()> {
        let invalid = |name: &str, reason| {
            Err(Error::InvalidFormField {
                name: name.chars().take(64).collect(),
                reason,
            })
        };
        let mut names: Vec<&str> = Vec::with_capacity(self.conditions.len());
        for condition in &self.conditions {
            let name = match condition {
                Condition::Eq(name, _) | Condition::StartsWith(name, _) => name.as_str(),
                Condition::LengthRange(min, max) if min > max => {
                    return Err(Error::InvalidLengthRange {
                        min: *min,
                        max: *max,
                    });
                }
                Condition::LengthRange(..) => continue,
            };
            if name.is_empty() {
                return invalid(name, "a form field needs a name");
            }
            if name.chars().any(|c| c.is_control() || c == '"') {
                return invalid(
                    name,
                    "a form field's name holds a control character or `\"`",
                );
            }
            if RESERVED_FIELDS.iter().any(|r| r.eq_ignore_ascii_case(name)) {
                return invalid(
                    name,
                    "the form writes this field itself (the key, the bucket, the policy, the \
                     signature and its parameters, the file)",
                );
            }
            if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                return invalid(name, "the field is given twice: give it once");
            }
            names.push(name);
        }
        check_key(&self.key)
    }

    /// Signs the policy as of now (system clock).
    #[cfg(all(
        feature = "std",
        any(
            not(all(target_arch = "wasm32", target_os = "unknown")),
            feature = "js-clock"
        )
    ))]
    pub fn presign_now(&self, presigner: &Presigner) -> Result<PresignedPost> {
        self.presign(presigner, crate::sigv4::clock::now())
    }

    /// Does not exist on `wasm32-unknown-unknown` without the `js-clock` feature: that
    /// target has no clock (a call fails to compile, saying so).
    #[cfg(all(
        feature = "std",
        target_arch = "wasm32",
        target_os = "unknown",
        not(feature = "js-clock")
    ))]
    pub fn presign_now(&self, presigner: &Presigner) -> Result<PresignedPost>
    where
        Self: crate::sigv4::NoClockOnThisTarget,
    {
        let _ = presigner;
        Err(Error::TimeOutOfRange)
    }

    /// Signs the policy as of `time`.
    ///
    /// Errors: the presigner's region or settings do not fit the bucket
    /// ([`Error::PresignerMismatch`]), the expiry is out of range, a field name is empty.
    pub fn presign(&self, presigner: &Presigner, time: impl Timestamp) -> Result<PresignedPost> {
        let time = time.to_offset_date_time()?;
        self.bucket.check_presigner(presigner)?;
        let expires = fit_to_credentials(
            presigner.credentials(),
            time.unix_timestamp(),
            check_expires(self.expires_in)?,
            self.clamp_to_credentials,
        )?;
        self.check()?;
        let date = AmzDate::new(time)?;
        let expiration = time
            .checked_add(time::Duration::seconds(i64::from(expires)))
            .ok_or(Error::TimeOutOfRange)?;
        AmzDate::new(expiration)?;
        let credential = alloc::format!(
            "{}/{}/{}/{}/aws4_request",
            presigner.credentials().access_key_id(),
            date.date(),
            presigner.region(),
            presigner.service()
        );

        // The conditions, in boto3's order: the caller's, the bucket, the key, then the
        // signature's own fields.
        let mut conditions = self.conditions.clone();
        conditions.push(Condition::Eq("bucket".into(), self.bucket.name().into()));
        conditions.push(match &self.key_prefix {
            Some(prefix) => Condition::StartsWith("key".into(), prefix.clone()),
            None => Condition::Eq("key".into(), self.key.clone()),
        });
        let mut fields = self.fields.clone();
        fields.push(("key".into(), self.key.clone()));
        let mut signed_fields = alloc::vec![
            ("x-amz-algorithm".to_string(), ALGORITHM.to_string()),
            ("x-amz-credential".to_string(), credential),
            ("x-amz-date".to_string(), date.as_str().to_string()),
        ];
        if let Some(token) = presigner.credentials().session_token() {
            signed_fields.push(("x-amz-security-token".into(), token.into()));
        }
        for (name, value) in &signed_fields {
            conditions.push(Condition::Eq(name.clone(), value.clone()));
        }
        fields.extend(signed_fields);

        let document = policy_document(expiration, &conditions);
        let policy = base64::encode_standard(document.as_bytes());
        // The presigner's cached key for the day: no derivation per form.
        let key = presigner.prepared_key(time.unix_timestamp(), &date);
        let signature = encode_32(&key.mac(policy.as_bytes()));
        fields.push(("policy".into(), policy));
        fields.push((
            "x-amz-signature".into(),
            core::str::from_utf8(&signature).unwrap_or_default().into(),
        ));
        Ok(PresignedPost {
            url: self.bucket.bucket_url()?,
            fields,
        })
    }
}

/// The policy as JSON, written as Python's `json.dumps` writes it (`", "` and `": "`
/// separators, non-ASCII escaped), so that it is byte for byte boto3's for the same
/// conditions.
fn policy_document(expiration: OffsetDateTime, conditions: &[Condition]) -> String {
    let mut out = String::with_capacity(256 + 64 * conditions.len());
    let _ = write!(
        out,
        "{{\"expiration\": \"{}\", \"conditions\": [",
        Rfc3339(expiration)
    );
    for (i, condition) in conditions.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match condition {
            Condition::Eq(name, value) => {
                out.push('{');
                push_json_string(&mut out, name);
                out.push_str(": ");
                push_json_string(&mut out, value);
                out.push('}');
            }
            Condition::StartsWith(name, prefix) => {
                out.push_str("[\"starts-with\", ");
                let mut field = String::with_capacity(name.len() + 1);
                field.push('$');
                field.push_str(name);
                push_json_string(&mut out, &field);
                out.push_str(", ");
                push_json_string(&mut out, prefix);
                out.push(']');
            }
            Condition::LengthRange(min, max) => {
                let _ = write!(out, "[\"content-length-range\", {min}, {max}]");
            }
        }
    }
    out.push_str("]}");
    out
}

impl PresignedPost {
    /// Where the form posts (the bucket's URL).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The form fields, in the order the form must send them; the file field goes last,
    /// after all of them.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone + '_ {
        self.fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// `{"url": …, "fields": {…}}`, the shape boto3's `generate_presigned_post` returns.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.url.len() + 64 * self.fields.len());
        out.push_str("{\"url\": ");
        push_json_string(&mut out, &self.url);
        out.push_str(", \"fields\": {");
        for (i, (name, value)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_json_string(&mut out, name);
            out.push_str(": ");
            push_json_string(&mut out, value);
        }
        out.push_str("}}");
        out
    }

    /// A `curl` command line that uploads `file` with this form (`--form-string` keeps
    /// `;` and `@` in values literal; the file name is quoted as curl's `-F` requires).
    pub fn curl_command(&self, file: &str) -> String {
        let mut out = String::from("curl");
        for (name, value) in &self.fields {
            out.push_str(" --form-string ");
            push_shell_quoted(&mut out, &alloc::format!("{name}={value}"));
        }
        out.push_str(" -F ");
        // curl reads `;type=`, `;filename=` and `,` after `@FILE` as options, unless the
        // file name is double-quoted (with `\` before `"` and `\`).
        let mut quoted = String::with_capacity(file.len() + 8);
        quoted.push_str("file=@\"");
        for c in file.chars() {
            if c == '"' || c == '\\' {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        push_shell_quoted(&mut out, &quoted);
        out.push(' ');
        push_shell_quoted(&mut out, &self.url);
        out
    }
}

impl core::fmt::Debug for PresignedPost {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let names: Vec<&str> = self.fields.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("PresignedPost")
            .field("url", &self.url)
            .field("fields", &names)
            .finish()
    }
}

/// Appends `text` in single quotes for a POSIX shell.
fn push_shell_quoted(out: &mut String, text: &str) {
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_cannot_break_out() {
        let mut out = String::new();
        push_json_string(&mut out, "a\"}, {\"key\": \"x\\\n\té😀\u{1}");
        assert_eq!(
            out,
            r#""a\"}, {\"key\": \"x\\\n\t\u00e9\ud83d\ude00\u0001""#
        );
    }
}
