//! Checking a presigned request: its scope against the verifier's, its credentials
//! against the store, and its canonical request, computed as the signer computed it.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::sigv4::params::{X_AMZ_S3SESSION_TOKEN, X_AMZ_SECURITY_TOKEN, X_AMZ_SIGNATURE};
use crate::sigv4::{
    AmzDate, CanonicalQuery, CanonicalRequest, Credentials, Header, Piece, SessionTokenMode,
    Settings, Sha256Stream, TERMINATOR, constant_time_eq, merge_headers, push_header_value,
    sort_received,
};
use crate::verify::parse::PresignedParams;
use crate::verify::{CredentialStore, VerifyError};

/// A request whose structure and scope have been checked.
pub(crate) struct Checked<'r> {
    pub(crate) method: &'r str,
    pub(crate) path: &'r str,
    /// The query's parameters, in canonical order, without the signature (and a session
    /// token that is not signed).
    pub(crate) query: Vec<Piece<'r>>,
    pub(crate) headers: &'r [(&'r str, &'r str)],
    pub(crate) default_port: &'static str,
    pub(crate) params: PresignedParams<'r>,
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
    if params.sigv4a {
        // SigV4a: one of the verifier's regions must be in the signed set (or it is `*`).
        let set = &*params.region;
        #[cfg(feature = "sigv4a")]
        if crate::sigv4a::RegionSet::new(set).is_err() {
            return Err(VerifyError::Malformed {
                reason: "X-Amz-Region-Set is not `*` or a list of region names joined by `,`",
            });
        }
        if set != "*" && !set.split(',').any(|name| regions.iter().any(|r| r == name)) {
            return mismatch("region set", set, regions.join(" or "));
        }
    } else if !regions.iter().any(|r| *r == params.region) {
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

/// Refuses a request whose session token is not exactly the credentials' (or that carries
/// one the credentials do not have, or lacks theirs).
pub(crate) fn check_token(
    credentials: &Credentials,
    params: &PresignedParams<'_>,
) -> Result<(), VerifyError> {
    let token_matches = match (credentials.session_token(), params.token.as_deref()) {
        (None, None) => true,
        (Some(expected), Some(given)) => constant_time_eq(expected.as_bytes(), given.as_bytes()),
        _ => false,
    };
    if token_matches {
        Ok(())
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
        .ok_or_else(|| unknown_key(key_id))
}

/// The error for a key the store does not know.
pub(crate) fn unknown_key(key_id: &str) -> VerifyError {
    VerifyError::UnknownAccessKey {
        access_key_id: key_id.chars().take(128).collect(),
    }
}

/// Leaves out of `pieces` the signature (and the session token, when `settings` append it
/// after signing) and sorts the rest into canonical order.
pub(crate) fn canonical_pieces<'r>(
    mut pieces: Vec<Piece<'r>>,
    settings: &Settings,
) -> Vec<Piece<'r>> {
    let unsigned_token = settings.session_token == SessionTokenMode::AppendAfterSigning;
    pieces.retain(|piece| {
        let name = piece.name();
        let token = name == X_AMZ_SECURITY_TOKEN || name == X_AMZ_S3SESSION_TOKEN;
        !(name == X_AMZ_SIGNATURE || (unsigned_token && token))
    });
    sort_received(&mut pieces);
    pieces
}

/// The `x-amz-*` header S3 takes unsigned on a presigned request.
const UNSIGNED_AMZ_ALLOWED: &str = "x-amz-content-sha256";

/// Refuses a request that carries an `x-amz-*` header the URL does not sign (but
/// `x-amz-content-sha256`), as S3 does: such a header changes what the request does
/// (`x-amz-copy-source` turns a PUT into a copy, `x-amz-acl` sets who may read).
pub(crate) fn check_no_unsigned_amz_headers<'s>(
    headers: &[(&str, &str)],
    signed: impl Iterator<Item = &'s str> + Clone,
) -> Result<(), VerifyError> {
    for (name, _) in headers {
        let is_amz = name
            .get(..6)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-amz-"));
        if is_amz
            && !name.eq_ignore_ascii_case(UNSIGNED_AMZ_ALLOWED)
            && !signed.clone().any(|s| s.eq_ignore_ascii_case(name))
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

/// What the canonical request is made of besides the request line and the query.
pub(crate) struct CanonicalParts {
    pub(crate) host: String,
    headers: Vec<Header>,
}

impl Checked<'_> {
    /// The signing time as `X-Amz-Date` gives it.
    pub(crate) fn amz_date(&self) -> &AmzDate {
        &self.params.amz_date
    }

    /// The host (in a string with `room` bytes to spare) and the other signed headers.
    pub(crate) fn canonical_parts(&self, room: usize) -> Result<CanonicalParts, VerifyError> {
        let (host, headers) = self.signed_headers(room)?;
        Ok(CanonicalParts { host, headers })
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
            query: CanonicalQuery::Sorted(&self.query),
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
    fn signed_headers(&self, room: usize) -> Result<(String, Vec<Header>), VerifyError> {
        let names = self.params.signed_header_names();
        for name in names.clone() {
            if !self
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                return Err(VerifyError::SignedHeaderMissing { name: name.into() });
            }
        }
        // The host values, canonical, joined by `,` (there is at least one: `host` is
        // always signed).
        let mut host = String::with_capacity(room + 64);
        let mut host_values = 0;
        let headers = if self.params.signed_headers == "host" {
            // The usual presigned URL: nothing to merge.
            for (_, given) in self
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("host"))
            {
                if host_values > 0 {
                    host.push(',');
                }
                host_values += 1;
                push_header_value(&mut host, "host", given)?;
            }
            Vec::new()
        } else {
            let signed = self
                .headers
                .iter()
                .filter(|(n, _)| names.clone().any(|s| n.eq_ignore_ascii_case(s)))
                .map(|(n, v)| (*n, *v));
            merge_headers(signed, |value| {
                if host_values > 0 {
                    host.push(',');
                }
                host_values += 1;
                host.push_str(&value);
                Ok(())
            })?
        };
        host.make_ascii_lowercase();
        if let Some(stripped) = host.strip_suffix(self.default_port) {
            let len = stripped.len();
            host.truncate(len);
        }
        Ok((host, headers))
    }
}
