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
    let credentials = lookup(store, &params.access_key_id)?;
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

/// The credentials of `key_id`, from the store.
pub(crate) fn lookup(
    store: &impl CredentialStore,
    key_id: &str,
) -> Result<Credentials, VerifyError> {
    store
        .credentials(key_id)
        .filter(|c| c.access_key_id() == key_id)
        .ok_or_else(|| VerifyError::UnknownAccessKey {
            access_key_id: key_id.chars().take(128).collect(),
        })
}

/// The `x-amz-*` header S3 takes unsigned on a presigned request.
const UNSIGNED_AMZ_ALLOWED: &str = "x-amz-content-sha256";

/// Refuses a request that carries an `x-amz-*` header the URL does not sign (but
/// `x-amz-content-sha256`), as S3 does: such a header changes what the request does
/// (`x-amz-copy-source` turns a PUT into a copy, `x-amz-acl` sets who may read).
pub(crate) fn check_no_unsigned_amz_headers(
    headers: &[(&str, &str)],
    signed: &[String],
) -> Result<(), VerifyError> {
    for (name, _) in headers {
        let is_amz = name
            .get(..6)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-amz-"));
        if is_amz
            && !name.eq_ignore_ascii_case(UNSIGNED_AMZ_ALLOWED)
            && !signed.iter().any(|s| s.eq_ignore_ascii_case(name))
        {
            return Err(VerifyError::UnsignedHeader {
                name: name
                    .chars()
                    .take(128)
                    .collect::<String>()
                    .to_ascii_lowercase(),
            });
        }
    }
    Ok(())
}

/// What the canonical request is made of besides the request line.
pub(crate) struct CanonicalParts {
    pub(crate) host: String,
    headers: Vec<Header>,
    query: String,
}

impl Checked<'_> {
    /// The signing time as `X-Amz-Date` gives it.
    pub(crate) fn amz_date(&self) -> &AmzDate {
        &self.params.amz_date
    }

    /// The host, the other signed headers and the canonical query.
    pub(crate) fn canonical_parts(
        &self,
        settings: &Settings,
    ) -> Result<CanonicalParts, VerifyError> {
        let (host, headers) = self.signed_headers()?;
        let unsigned_token = settings.session_token == SessionTokenMode::AppendAfterSigning;
        let query = canonical_query_of_wire(self.query, |name| {
            name == X_AMZ_SIGNATURE || (unsigned_token && name == X_AMZ_SECURITY_TOKEN)
        });
        Ok(CanonicalParts {
            host,
            headers,
            query,
        })
    }

    /// The canonical request; with `raw_path`, its URI is the path exactly as received (how
    /// some clients sign an S3 URL they were given already encoded).
    pub(crate) fn canonical_request<'c>(
        &'c self,
        settings: &'c Settings,
        parts: &'c CanonicalParts,
        raw_path: bool,
    ) -> CanonicalRequest<'c> {
        CanonicalRequest {
            method: self.method,
            path: self.path,
            path_encoding: settings.path_encoding,
            normalize_path: settings.normalize_path && !raw_path,
            path_is_canonical: raw_path,
            query: CanonicalQuery::new(&parts.query),
            host: &parts.host,
            headers: &parts.headers,
            payload_hash: settings.payload_hash.as_str(),
        }
    }

    /// The SHA-256 of the canonical request, streamed into the hasher.
    pub(crate) fn canonical_hash(
        &self,
        settings: &Settings,
        parts: &CanonicalParts,
        raw_path: bool,
    ) -> [u8; 32] {
        let mut hasher = Sha256Stream::new();
        self.canonical_request(settings, parts, raw_path)
            .write(&mut |piece| hasher.update(piece));
        hasher.finalize()
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
