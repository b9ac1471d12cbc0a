//! Checking a presigned request: its scope against the verifier's, its credentials
//! against the store, and its canonical request, computed as the signer computed it.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::sigv4::params::{X_AMZ_SECURITY_TOKEN, X_AMZ_SIGNATURE};
use crate::sigv4::{
    AmzDate, CanonicalQuery, CanonicalRequest, Credentials, Header, SessionTokenMode, Settings,
    Sha256Stream, TERMINATOR, canonical_query_of_wire, constant_time_eq, merge_headers,
};
use crate::verify::parse::PresignedParams;
use crate::verify::{CredentialStore, VerifyError};

/// A request whose structure, scope and credentials have been checked.
pub(crate) struct Checked<'r> {
    pub(crate) method: &'r str,
    pub(crate) path: &'r str,
    pub(crate) query: &'r str,
    pub(crate) headers: &'r [(&'r str, &'r str)],
    pub(crate) default_port: &'static str,
    pub(crate) params: PresignedParams<'r>,
    pub(crate) credentials: Credentials,
}

/// Checks the credential scope: the date of `X-Amz-Date`, one of `regions`, `service`,
/// `aws4_request`.
pub(crate) fn check_scope(
    params: &PresignedParams<'_>,
    regions: &[String],
    service: &str,
) -> Result<(), VerifyError> {
    let mismatch = |part, found: &str, expected: String| {
        Err(VerifyError::ScopeMismatch {
            part,
            found: found.chars().take(64).collect(),
            expected,
        })
    };
    if params.scope_date != params.amz_date.date() {
        return mismatch(
            "date",
            &params.scope_date,
            params.amz_date.date().to_string(),
        );
    }
    if !regions.contains(&params.region) {
        return mismatch("region", &params.region, regions.join(" or "));
    }
    if params.service != service {
        return mismatch("service", &params.service, service.to_string());
    }
    if params.terminator != TERMINATOR {
        return mismatch("terminator", &params.terminator, TERMINATOR.to_string());
    }
    Ok(())
}

/// The credentials of the key that signed, from the store, with the session token the
/// request must carry.
pub(crate) fn credentials_for(
    store: &impl CredentialStore,
    params: &PresignedParams<'_>,
) -> Result<Credentials, VerifyError> {
    let key_id = params.access_key_id.as_str();
    let credentials = store
        .credentials(key_id)
        .filter(|c| c.access_key_id() == key_id)
        .ok_or_else(|| VerifyError::UnknownAccessKey {
            access_key_id: key_id.chars().take(128).collect(),
        })?;
    let token_matches = match (credentials.session_token(), params.token.as_deref()) {
        (None, None) => true,
        (Some(expected), Some(given)) => constant_time_eq(expected.as_bytes(), given.as_bytes()),
        _ => false,
    };
    if token_matches {
        Ok(credentials)
    } else {
        Err(VerifyError::SessionTokenMismatch)
    }
}

impl Checked<'_> {
    /// The signing time as `X-Amz-Date` gives it.
    pub(crate) fn amz_date(&self) -> &AmzDate {
        &self.params.amz_date
    }

    /// The canonical request and its SHA-256.
    pub(crate) fn canonical(&self, settings: &Settings) -> Result<(String, [u8; 32]), VerifyError> {
        let (host, headers) = self.signed_headers()?;
        let unsigned_token = settings.session_token == SessionTokenMode::AppendAfterSigning;
        let query = canonical_query_of_wire(self.query, |name| {
            name == X_AMZ_SIGNATURE || (unsigned_token && name == X_AMZ_SECURITY_TOKEN)
        });
        let canonical = CanonicalRequest {
            method: self.method,
            path: self.path,
            path_encoding: settings.path_encoding,
            normalize_path: settings.normalize_path,
            path_is_canonical: false,
            query: CanonicalQuery::new(&query),
            host: &host,
            headers: &headers,
            payload_hash: settings.payload_hash.as_str(),
        };
        let text = canonical.to_text();
        let mut hasher = Sha256Stream::new();
        hasher.update(text.as_bytes());
        Ok((text, hasher.finalize()))
    }

    /// The received headers that were signed, canonical: the host as the signer wrote it
    /// (its values joined, lower case, no default port), and the others.
    fn signed_headers(&self) -> Result<(String, Vec<Header>), VerifyError> {
        let names = &self.params.signed_headers;
        for name in names {
            if !self
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                return Err(VerifyError::SignedHeaderMissing { name: name.clone() });
            }
        }
        let signed: Vec<(&str, &str)> = self
            .headers
            .iter()
            .filter(|(n, _)| names.iter().any(|s| n.eq_ignore_ascii_case(s)))
            .map(|(n, v)| (*n, *v))
            .collect();
        let mut host: Option<String> = None;
        let headers = merge_headers(signed.into_iter(), |value| {
            match &mut host {
                None => host = Some(value),
                Some(joined) => {
                    joined.push(',');
                    joined.push_str(&value);
                }
            }
            Ok(())
        })?;
        let mut host = host.ok_or(VerifyError::SignedHeaderMissing {
            name: "host".into(),
        })?;
        host.make_ascii_lowercase();
        if let Some(stripped) = host.strip_suffix(self.default_port) {
            let len = stripped.len();
            host.truncate(len);
        }
        Ok((host, headers))
    }
}
