//! AWS credentials: access key id, secret access key and an optional session token.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::sigv4::digest::HmacKey;

/// The credentials that sign: an access key id, its secret access key and, for temporary
/// credentials (STS, SSO, instance roles), a session token.
///
/// `Debug` shows the access key id only; the secret and the token are never printed.
///
/// ```
/// use sigv4_presign::Credentials;
///
/// let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?
///     .with_session_token("FwoGZXIvYXdzEXAMPLE")?;
/// assert_eq!(creds.access_key_id(), "AKIAIOSFODNN7EXAMPLE");
/// let shown = format!("{creds:?}");
/// assert!(!shown.contains("wJalr") && !shown.contains("FwoG"));
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: Box<str>,
    /// The HMAC key `"AWS4"` + secret, prepared (its two midstates): kDate's key, the
    /// same every day, so each day's derivation starts from it.
    date_key: HmacKey,
    /// The HMAC key `"AWS4A"` + secret, prepared: SigV4a's key derivation starts from it
    /// (the secret itself is never kept).
    #[cfg(feature = "sigv4a")]
    asymmetric_key: HmacKey,
    session_token: Option<Box<str>>,
    /// When temporary credentials stop working, if known.
    expires_at: Option<OffsetDateTime>,
}

impl Credentials {
    /// Long-term (or any) credentials without a session token.
    ///
    /// Errors: [`Error::EmptyAccessKeyId`], [`Error::InvalidAccessKeyId`] (a `/`, a space
    /// or a control character, which would corrupt the credential scope),
    /// [`Error::EmptySecretAccessKey`], [`Error::InvalidSecretAccessKey`] (a space or a
    /// control character, such as the trailing newline of a file).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl AsRef<str>,
    ) -> Result<Self> {
        let access_key_id = access_key_id.into();
        if access_key_id.is_empty() {
            return Err(Error::EmptyAccessKeyId);
        }
        if let Some(c) = access_key_id
            .chars()
            .find(|c| !c.is_ascii_graphic() || *c == '/')
        {
            return Err(Error::InvalidAccessKeyId {
                found: describe_char(c),
            });
        }
        let secret = secret_access_key.as_ref();
        if secret.is_empty() {
            return Err(Error::EmptySecretAccessKey);
        }
        if secret.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(Error::InvalidSecretAccessKey);
        }
        Ok(Self {
            access_key_id: access_key_id.into_boxed_str(),
            date_key: HmacKey::from_parts(&[b"AWS4", secret.as_bytes()]),
            #[cfg(feature = "sigv4a")]
            asymmetric_key: HmacKey::from_parts(&[b"AWS4A", secret.as_bytes()]),
            session_token: None,
            expires_at: None,
        })
    }

    /// Adds the session token of temporary credentials.
    ///
    /// Errors: [`Error::EmptySessionToken`], or [`Error::InvalidSessionToken`] when it holds
    /// a space or a control character (often a trailing newline from a file).
    pub fn with_session_token(mut self, token: impl Into<String>) -> Result<Self> {
        let token = token.into();
        if token.is_empty() {
            return Err(Error::EmptySessionToken);
        }
        if token.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(Error::InvalidSessionToken);
        }
        self.session_token = Some(token.into_boxed_str());
        Ok(self)
    }

    /// Records when the credentials expire (temporary credentials from STS, SSO, an
    /// instance role or a `credential_process`). A presigned URL stops working when the
    /// credentials that signed it expire, so the presigner then refuses a URL that would
    /// outlive them ([`Error::OutlivesCredentials`]), unless the request asks to be
    /// clamped ([`PresignRequest::clamp_to_credentials`](crate::PresignRequest::clamp_to_credentials)).
    ///
    /// ```
    /// use sigv4_presign::{Credentials, Error, PresignRequest, Presigner};
    /// use time::macros::datetime;
    ///
    /// let creds = Credentials::new("ASIAEXAMPLE", "secret")?
    ///     .with_session_token("token")?
    ///     .with_expiration(datetime!(2024-05-01 12:50 UTC));
    /// let presigner = Presigner::new(creds, "us-east-1", "s3")?;
    /// let week = PresignRequest::get("https://b.s3.amazonaws.com/k")
    ///     .expires_in(std::time::Duration::from_secs(7 * 86400));
    /// let now = datetime!(2024-05-01 12:00 UTC);
    /// assert!(matches!(presigner.presign(&week, now), Err(Error::OutlivesCredentials { .. })));
    /// let clamped = presigner.presign(&week.clamp_to_credentials(), now)?;
    /// assert_eq!(clamped.expires_at(), datetime!(2024-05-01 12:50 UTC));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn with_expiration(mut self, expires_at: OffsetDateTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// When the credentials expire, if known.
    pub fn expiration(&self) -> Option<OffsetDateTime> {
        self.expires_at
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The session token, if any.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// The key of SigV4a's key derivation, `"AWS4A"` + secret, prepared for HMAC.
    #[cfg(feature = "sigv4a")]
    pub(crate) fn asymmetric_key(&self) -> &HmacKey {
        &self.asymmetric_key
    }

    /// The key that derives kDate, `"AWS4"` + secret, prepared for HMAC.
    pub(crate) fn date_key(&self) -> &HmacKey {
        &self.date_key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Describes a character for an error message without echoing the rest of the input.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '/' => "a `/`".into(),
        '\n' | '\r' => "a line break".into(),
        c if c.is_control() => alloc::format!("the control character U+{:04X}", c as u32),
        c => alloc::format!("the non-ASCII character {c:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn debug_redacts_secret_and_token() {
        let c = Credentials::new("AKID", "very-secret")
            .unwrap()
            .with_session_token("tok3n")
            .unwrap();
        let shown = format!("{c:?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("very-secret"));
        assert!(!shown.contains("tok3n"));
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn rejects_bad_key_ids() {
        assert_eq!(Credentials::new("", "s"), Err(Error::EmptyAccessKeyId));
        assert_eq!(Credentials::new("A", ""), Err(Error::EmptySecretAccessKey));
        assert_eq!(
            Credentials::new("A", "s\n"),
            Err(Error::InvalidSecretAccessKey)
        );
        assert_eq!(
            Credentials::new("A", "s s"),
            Err(Error::InvalidSecretAccessKey)
        );
        assert!(matches!(
            Credentials::new("AK/ID", "s"),
            Err(Error::InvalidAccessKeyId { .. })
        ));
        assert!(matches!(
            Credentials::new("AKID\n", "s"),
            Err(Error::InvalidAccessKeyId { found }) if found == "a line break"
        ));
        assert_eq!(
            Credentials::new("A", "s").unwrap().with_session_token(""),
            Err(Error::EmptySessionToken)
        );
        assert_eq!(
            Credentials::new("A", "s")
                .unwrap()
                .with_session_token("t\n"),
            Err(Error::InvalidSessionToken)
        );
    }
}
