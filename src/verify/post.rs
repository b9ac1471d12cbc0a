//! Checking an S3 POST upload (a browser form) on the server side, as S3 checks it: the
//! policy's signature and expiration, every condition, and that every form field is
//! covered by one.
//!
//! The rules, from S3's documentation of browser-based uploads:
//!
//! - The form carries `key`, `policy`, `x-amz-algorithm` (`AWS4-HMAC-SHA256`),
//!   `x-amz-credential`, `x-amz-date` and `x-amz-signature` (names in any case, each
//!   once); `x-amz-security-token` with temporary credentials.
//! - The signature is the HMAC of the base64 policy text, as received, under the signing
//!   key of the credential's scope; 64 lower-case hex digits.
//! - The policy is `{"expiration": RFC 3339, "conditions": [...]}`, unexpired. A condition
//!   is `{"field": "value"}` or `["eq", "$field", "value"]` (exact), `["starts-with",
//!   "$field", "prefix"]` (not on `bucket` and the `x-amz-*` fields but `x-amz-meta-*`),
//!   or `["content-length-range", min, max]` (bytes, inclusive). Field names compare
//!   without case; a condition on a field the form does not send fails.
//! - `${filename}` in the key is the uploaded file's name, substituted before the key's
//!   conditions are checked.
//! - Every field but `x-amz-signature`, `policy`, `file` and `x-ignore-*` must be named
//!   by a condition.
//! - The bucket is the URL's. A `bucket` field that names another is refused, and the
//!   `bucket` condition is checked against the URL's bucket (CVE-2023-43040 let a form's
//!   `bucket` field stand in for it).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use time::OffsetDateTime;

use crate::base64;
use crate::json::{self, Value};
use crate::rfc3339::Rfc3339;
use crate::sigv4::params::ALGORITHM;
use crate::sigv4::{AmzDate, Credentials, TERMINATOR, constant_time_eq, decode_32_lower};
use crate::verify::VerifyError;

/// The most form fields accepted.
pub const MAX_FORM_FIELDS: usize = 128;
/// The longest form field value (the policy among them) accepted, in bytes.
pub const MAX_FORM_VALUE_LEN: usize = 64 * 1024;

/// A POST upload as received: the bucket its URL names, the form's fields before the file
/// (no multipart parser is needed: give the fields as your server read them), and the
/// file's name and length.
#[derive(Clone, Copy)]
pub struct ReceivedForm<'a> {
    pub(crate) bucket: &'a str,
    pub(crate) fields: &'a [(&'a str, &'a str)],
    pub(crate) file_name: Option<&'a str>,
    pub(crate) file_length: u64,
}

impl<'a> ReceivedForm<'a> {
    /// A form posted to `bucket` (from the URL's host or path, never from the form) with
    /// `fields`, and a file of `file_length` bytes.
    pub fn new(bucket: &'a str, fields: &'a [(&'a str, &'a str)], file_length: u64) -> Self {
        Self {
            bucket,
            fields,
            file_name: None,
            file_length,
        }
    }

    /// The file's name, as the form's file part gave it (`filename="…"`): S3 substitutes
    /// it for `${filename}` in the key.
    pub fn with_file_name(mut self, name: &'a str) -> Self {
        self.file_name = Some(name);
        self
    }
}

impl core::fmt::Debug for ReceivedForm<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let names: Vec<&str> = self.fields.iter().map(|(n, _)| *n).collect();
        f.debug_struct("ReceivedForm")
            .field("bucket", &self.bucket)
            .field("field_names", &names)
            .field("file_length", &self.file_length)
            .finish_non_exhaustive()
    }
}

/// What a verified POST upload may store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPost {
    pub(crate) access_key_id: String,
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) expires_at: OffsetDateTime,
}

impl VerifiedPost {
    /// The access key id that signed the policy.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The bucket (the URL's).
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The key to store under, `${filename}` substituted.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The form's fields, names in lower case, in the order received (the
    /// authentication fields among them): `content-type`, `x-amz-meta-*`, `acl`, …
    pub fn fields(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The value of the field `name` (in any case).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// When the policy expires.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }
}

/// The form's fields by lower-case name, each once.
pub(crate) struct Fields<'a> {
    pub(crate) by_name: BTreeMap<String, &'a str>,
    pub(crate) in_order: Vec<(String, String)>,
}

impl<'a> Fields<'a> {
    pub(crate) fn read(form: &ReceivedForm<'a>) -> Result<Self, VerifyError> {
        if form.fields.len() > MAX_FORM_FIELDS {
            return Err(VerifyError::TooLarge {
                what: "the number of form fields",
                limit: MAX_FORM_FIELDS,
            });
        }
        let mut by_name = BTreeMap::new();
        let mut in_order = Vec::with_capacity(form.fields.len());
        for (name, value) in form.fields {
            if value.len() > MAX_FORM_VALUE_LEN {
                return Err(VerifyError::TooLarge {
                    what: "a form field's value",
                    limit: MAX_FORM_VALUE_LEN,
                });
            }
            let lower = name.to_ascii_lowercase();
            if by_name.insert(lower.clone(), *value).is_some() {
                return Err(VerifyError::DuplicateField {
                    name: shown(&lower),
                });
            }
            in_order.push((lower, (*value).to_string()));
        }
        Ok(Self { by_name, in_order })
    }

    pub(crate) fn required(&self, name: &'static str) -> Result<&'a str, VerifyError> {
        self.by_name
            .get(name)
            .copied()
            .ok_or(VerifyError::MissingField { name: name.into() })
    }
}

/// A name as shown in an error: at most 64 characters.
fn shown(name: &str) -> String {
    name.chars().take(64).collect()
}

/// The parts of `x-amz-credential` and `x-amz-date`, checked for form.
pub(crate) struct PostScope<'a> {
    pub(crate) access_key_id: &'a str,
    pub(crate) date: &'a str,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    pub(crate) terminator: &'a str,
    pub(crate) amz_date: AmzDate,
}

impl<'a> PostScope<'a> {
    pub(crate) fn read(fields: &Fields<'a>) -> Result<Self, VerifyError> {
        let malformed = |reason| VerifyError::Malformed { reason };
        if fields.required("x-amz-algorithm")? != ALGORITHM {
            return Err(VerifyError::UnsupportedAlgorithm {
                algorithm: shown(fields.required("x-amz-algorithm")?),
            });
        }
        let credential = fields.required("x-amz-credential")?;
        let mut parts = credential.rsplitn(5, '/');
        let mut next = || parts.next();
        let (Some(terminator), Some(service), Some(region), Some(date), Some(key)) =
            (next(), next(), next(), next(), next())
        else {
            return Err(malformed(
                "x-amz-credential is not KEY/DATE/REGION/SERVICE/aws4_request",
            ));
        };
        if key.is_empty() {
            return Err(malformed("x-amz-credential names no access key id"));
        }
        let amz_date = AmzDate::parse(fields.required("x-amz-date")?)
            .map_err(|_| malformed("x-amz-date is not YYYYMMDD'T'HHMMSS'Z'"))?;
        Ok(Self {
            access_key_id: key,
            date,
            region,
            service,
            terminator,
            amz_date,
        })
    }

    /// The scope must be the verifier's (`regions`, `s3`) and name `x-amz-date`'s date.
    pub(crate) fn check(&self, regions: &[String], service: &str) -> Result<(), VerifyError> {
        let mismatch = |part, found: &str, expected: String| {
            Err(VerifyError::ScopeMismatch {
                part,
                found: shown(found),
                expected,
            })
        };
        if self.date != self.amz_date.date() {
            return mismatch("date", self.date, self.amz_date.date().to_string());
        }
        if !regions.iter().any(|r| r == self.region) {
            return mismatch("region", self.region, regions.join(" or "));
        }
        if self.service != service {
            return mismatch("service", self.service, service.to_string());
        }
        if self.terminator != TERMINATOR {
            return mismatch("terminator", self.terminator, TERMINATOR.to_string());
        }
        Ok(())
    }
}

/// The session token the form must carry: the credentials', exactly.
pub(crate) fn check_token(
    credentials: &Credentials,
    fields: &Fields<'_>,
) -> Result<(), VerifyError> {
    let given = fields.by_name.get("x-amz-security-token").copied();
    let matches = match (credentials.session_token(), given) {
        (None, None) => true,
        (Some(expected), Some(given)) => constant_time_eq(expected.as_bytes(), given.as_bytes()),
        _ => false,
    };
    if matches {
        Ok(())
    } else {
        Err(VerifyError::SessionTokenMismatch)
    }
}

/// Checks the form's signature: the HMAC of the policy text under `key`.
pub(crate) fn check_signature(
    mac: impl FnOnce(&[u8]) -> [u8; 32],
    fields: &Fields<'_>,
) -> Result<(), VerifyError> {
    let signature =
        decode_32_lower(fields.required("x-amz-signature")?).ok_or(VerifyError::Malformed {
            reason: "x-amz-signature is not 64 lower-case hexadecimal digits",
        })?;
    let expected = mac(fields.required("policy")?.as_bytes());
    if constant_time_eq(&expected, &signature) {
        Ok(())
    } else {
        Err(VerifyError::SignatureMismatch)
    }
}

/// One condition of the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Condition {
    Eq(String, String),
    StartsWith(String, String),
    LengthRange(u64, u64),
}

/// The policy: its expiration and conditions.
pub(crate) struct Policy {
    pub(crate) expires_at: OffsetDateTime,
    conditions: Vec<Condition>,
}

/// Fields only an exact condition may name.
fn exact_only(field: &str) -> bool {
    matches!(field, "bucket" | "success_action_status")
        || (field.starts_with("x-amz-") && !field.starts_with("x-amz-meta-"))
}

impl Policy {
    /// Reads the base64 policy text.
    pub(crate) fn read(text: &str) -> Result<Self, VerifyError> {
        let invalid = |reason| VerifyError::InvalidPolicy { reason };
        let json = base64::decode_standard(text).ok_or(invalid("the policy is not base64"))?;
        let json = String::from_utf8(json).map_err(|_| invalid("the policy is not UTF-8"))?;
        let mut document =
            json::parse_object(&json).map_err(|_| invalid("the policy is not a JSON object"))?;
        let expiration = match document.remove("expiration") {
            Some(Value::String(text)) => Rfc3339::parse(&text)
                .ok_or(invalid("the policy's expiration is not an RFC 3339 time"))?,
            _ => return Err(invalid("the policy has no expiration")),
        };
        let Some(Value::Array(conditions)) = document.remove("conditions") else {
            return Err(invalid("the policy has no conditions array"));
        };
        if !document.is_empty() {
            return Err(invalid(
                "the policy holds members other than expiration and conditions",
            ));
        }
        let conditions = conditions
            .into_iter()
            .map(Self::condition)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            expires_at: expiration,
            conditions,
        })
    }

    fn condition(value: Value) -> Result<Condition, VerifyError> {
        let invalid = |reason| Err(VerifyError::InvalidPolicy { reason });
        match value {
            Value::Object(members) => {
                let mut members = members.into_iter();
                match (members.next(), members.next()) {
                    (Some((name, Value::String(value))), None) => {
                        Ok(Condition::Eq(name.to_ascii_lowercase(), value))
                    }
                    _ => invalid("an exact condition names one field with a string value"),
                }
            }
            Value::Array(items) => {
                let mut items = items.into_iter();
                let op = match items.next() {
                    Some(Value::String(op)) => op.to_ascii_lowercase(),
                    _ => return invalid("a condition array starts with its operation"),
                };
                let (first, second) = (items.next(), items.next());
                if items.next().is_some() {
                    return invalid("a condition array holds three items");
                }
                match (op.as_str(), first, second) {
                    ("content-length-range", Some(min), Some(max)) => {
                        let (min, max) = (size(&min)?, size(&max)?);
                        if min > max {
                            return invalid(
                                "a content-length-range's minimum is above its maximum",
                            );
                        }
                        Ok(Condition::LengthRange(min, max))
                    }
                    (
                        op @ ("eq" | "starts-with"),
                        Some(Value::String(field)),
                        Some(Value::String(value)),
                    ) => {
                        let Some(field) = field.strip_prefix('$') else {
                            return invalid("a condition's field is written $name");
                        };
                        let field = field.to_ascii_lowercase();
                        if op == "eq" {
                            Ok(Condition::Eq(field, value))
                        } else if exact_only(&field) {
                            invalid(
                                "bucket, success_action_status and x-amz-* fields take exact conditions only",
                            )
                        } else {
                            Ok(Condition::StartsWith(field, value))
                        }
                    }
                    _ => invalid(
                        "a condition is eq, starts-with or content-length-range, with its arguments",
                    ),
                }
            }
            _ => invalid("a condition is an object or an array"),
        }
    }

    /// Checks every condition against the form (the bucket being the URL's and the key
    /// substituted), and that every field is named by one.
    pub(crate) fn check(
        &self,
        fields: &Fields<'_>,
        bucket: &str,
        key: &str,
        file_length: u64,
    ) -> Result<(), VerifyError> {
        let value_of = |field: &str| match field {
            "bucket" => Some(bucket),
            "key" => Some(key),
            other => fields.by_name.get(other).copied(),
        };
        for condition in &self.conditions {
            let failed = |field: &str, reason| {
                Err(VerifyError::ConditionFailed {
                    field: shown(field),
                    reason,
                })
            };
            match condition {
                Condition::Eq(field, expected) => match value_of(field) {
                    None => return failed(field, "the form does not send it"),
                    Some(value) if value != expected => {
                        return failed(field, "its value differs from the policy's");
                    }
                    Some(_) => {}
                },
                Condition::StartsWith(field, prefix) => match value_of(field) {
                    None => return failed(field, "the form does not send it"),
                    // A Content-Type may list several types: each must start with it.
                    Some(value) if field == "content-type" => {
                        if !value
                            .split(',')
                            .all(|t| t.trim().starts_with(prefix.as_str()))
                        {
                            return failed(field, "it does not start with the policy's prefix");
                        }
                    }
                    Some(value) if !value.starts_with(prefix.as_str()) => {
                        return failed(field, "it does not start with the policy's prefix");
                    }
                    Some(_) => {}
                },
                Condition::LengthRange(min, max) => {
                    if !(*min..=*max).contains(&file_length) {
                        return Err(VerifyError::ContentLengthOutOfRange {
                            length: file_length,
                            min: *min,
                            max: *max,
                        });
                    }
                }
            }
        }
        for (name, _) in &fields.in_order {
            let exempt = matches!(name.as_str(), "x-amz-signature" | "policy" | "file")
                || name.starts_with("x-ignore-");
            let named = self.conditions.iter().any(|c| match c {
                Condition::Eq(field, _) | Condition::StartsWith(field, _) => field == name,
                Condition::LengthRange(..) => false,
            });
            if !exempt && !named {
                return Err(VerifyError::FieldNotInPolicy { name: shown(name) });
            }
        }
        Ok(())
    }
}

/// A `content-length-range` bound: a non-negative integer, or one written as a string.
fn size(value: &Value) -> Result<u64, VerifyError> {
    let text = match value {
        Value::Number(text) | Value::String(text) => text,
        _ => "",
    };
    text.parse().map_err(|_| VerifyError::InvalidPolicy {
        reason: "a content-length-range bound is not a whole number of bytes",
    })
}

/// The key the form names, `${filename}` replaced by the file's name.
pub(crate) fn key_of(fields: &Fields<'_>, file_name: Option<&str>) -> Result<String, VerifyError> {
    let key = fields.required("key")?;
    Ok(match file_name {
        Some(name) => key.replace("${filename}", name),
        None => key.to_string(),
    })
}
