//! The SigV4a presigner: SigV4's canonical request, with the region set among the auth
//! parameters, a scope without a region, and an ECDSA signature.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::sigv4::params::{
    ALGORITHM_SIGV4A, AND_X_AMZ_SIGNATURE, X_AMZ_ALGORITHM, X_AMZ_CREDENTIAL, X_AMZ_DATE,
    X_AMZ_EXPIRES, X_AMZ_REGION_SET, X_AMZ_SIGNED_HEADERS,
};
use crate::sigv4::{
    AmzDate, Credentials, PathEncoding, Piece, PresignRequest, PresignedUrl, SessionTokenMode,
    Settings, Span, Timestamp, UNRESERVED, URL_TOO_LONG, UrlLayout, check_request,
    check_scope_part, collect_pieces, push_encoded, push_signed_header_names, push_url_path,
    sigv4a_scope, sigv4a_string_to_sign, write_sorted,
};
use crate::sigv4a::{RegionSet, SigningKey};

/// Signs requests with SigV4a for one set of credentials, one region set and one service.
///
/// The ECDSA key is derived once, when the presigner is made; build it once and share it
/// (it is `Send + Sync`, and [`Presigner::presign`] takes `&self`). Each URL costs one
/// ECDSA signature, some 50 times a SigV4 HMAC.
///
/// ```
/// use sigv4_presign::sigv4a::{Presigner, RegionSet};
/// use sigv4_presign::{Credentials, PresignRequest};
/// use time::macros::datetime;
///
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
/// let presigner = Presigner::new(creds, RegionSet::any(), "s3")?;
/// let request = PresignRequest::get("https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/a.txt");
/// let signed = presigner.presign(&request, datetime!(2024-05-01 12:00 UTC))?;
///
/// assert!(signed.url().contains("X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256"));
/// assert!(signed.url().contains("&X-Amz-Region-Set=%2A&"));
/// assert_eq!(signed.credential_scope(), "20240501/s3/aws4_request");
/// // Anyone holding the public key can check it.
/// assert!(presigner.public_key().verify(signed.string_to_sign().as_bytes(), signed.signature()));
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Clone)]
pub struct Presigner {
    credentials: Credentials,
    key: SigningKey,
    region_set: RegionSet,
    service: Box<str>,
    settings: Settings,
}

impl Presigner {
    /// A presigner for `service` (the signing name: `s3` for S3 and Multi-Region Access
    /// Points) valid in `region_set`, with the settings [`Settings::for_service`] picks.
    /// Derives the ECDSA key.
    ///
    /// Errors: [`Error::InvalidScope`] for a service that cannot stand in a credential
    /// scope; [`Error::NoSigV4aKey`] (never seen) from the key derivation.
    pub fn new(credentials: Credentials, region_set: RegionSet, service: &str) -> Result<Self> {
        let key = SigningKey::derive(&credentials)?;
        Self::with_key(credentials, key, region_set, service)
    }

    /// A presigner whose key was derived already (by [`SigningKey::derive`] from the same
    /// credentials): presigners for several services or region sets share one derivation.
    ///
    /// Errors: [`Error::InvalidScope`] for a bad service; [`Error::PresignerMismatch`]
    /// when the key is not that of `credentials`.
    pub fn with_key(
        credentials: Credentials,
        key: SigningKey,
        region_set: RegionSet,
        service: &str,
    ) -> Result<Self> {
        check_scope_part("service", service)?;
        if !key.belongs_to(&credentials) {
            return Err(Error::PresignerMismatch {
                reason: "the SigV4a key was derived from other credentials (another access \
                         key id or secret): derive it from these"
                    .into(),
            });
        }
        Ok(Self {
            credentials,
            key,
            region_set,
            service: service.into(),
            settings: Settings::for_service(service),
        })
    }

    /// Replaces the settings (see [`Settings`]).
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The credentials that sign.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The regions the URLs are valid in.
    pub fn region_set(&self) -> &RegionSet {
        &self.region_set
    }

    /// The service (signing name) of the scope.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The public key that verifies this presigner's signatures.
    pub fn public_key(&self) -> &crate::sigv4a::PublicKey {
        self.key.public_key()
    }

    /// Presigns `request` as of the UTC instant `time`.
    ///
    /// Errors: those of [`crate::Presigner::presign`].
    pub fn presign(
        &self,
        request: &PresignRequest<'_>,
        time: impl Timestamp,
    ) -> Result<PresignedUrl> {
        self.presign_at(request, time.to_offset_date_time()?)
    }

    /// Presigns `request` as of the current time (see [`crate::Presigner::presign_now`]).
    #[cfg(all(
        feature = "std",
        any(
            not(all(target_arch = "wasm32", target_os = "unknown")),
            feature = "js-clock"
        )
    ))]
    pub fn presign_now(&self, request: &PresignRequest<'_>) -> Result<PresignedUrl> {
        self.presign(request, crate::sigv4::clock::now())
    }

    fn presign_at(
        &self,
        request: &PresignRequest<'_>,
        time: OffsetDateTime,
    ) -> Result<PresignedUrl> {
        let second = time.unix_timestamp();
        let (method, expires, target) = check_request(request, &self.credentials, second)?;
        let amz_date = AmzDate::new(time)?;

        let mut out = String::with_capacity(512 + target.path.len() + target.query.len());
        let host = target.write_origin(&mut out);
        let path_start = out.len();
        let path_is_canonical = push_url_path(
            &mut out,
            target.path,
            target.path_form,
            self.settings.path_encoding,
            request.verbatim_path,
        ) && self.settings.path_encoding == PathEncoding::S3;
        let path = path_start..out.len();
        let headers = request.signed_headers(&out[host.clone()], target.scheme)?;

        // The auth parameters' values, encoded.
        let encode = |text: &str| {
            let mut value = String::with_capacity(text.len() + 16);
            push_encoded(&mut value, text.as_bytes(), UNRESERVED);
            value
        };
        let scope = sigv4a_scope(amz_date.date(), &self.service);
        let mut credential = encode(self.credentials.access_key_id());
        credential.push_str("%2F");
        push_encoded(&mut credential, scope.as_bytes(), UNRESERVED);
        let mut expires_text = String::new();
        crate::sigv4::push_u64(&mut expires_text, u64::from(expires));
        let region_set = encode(self.region_set.as_str());
        let mut names = String::new();
        push_signed_header_names(&mut names, &headers);
        let token = self.credentials.session_token().map(encode);
        let mode = self.settings.session_token;

        let mut pieces: Vec<Piece<'_>> = collect_pieces(target.query, &request.query, None)?;
        pieces.retain(|piece| !matches!(piece, Piece::Auth(_)));
        for (name, value) in [
            (X_AMZ_ALGORITHM, ALGORITHM_SIGV4A),
            (X_AMZ_CREDENTIAL, &*credential),
            (X_AMZ_DATE, amz_date.as_str()),
            (X_AMZ_EXPIRES, &*expires_text),
            (X_AMZ_REGION_SET, &*region_set),
            (X_AMZ_SIGNED_HEADERS, &*names),
        ] {
            pieces.push(Piece::Canonical { name, value });
        }
        let token_name = self.settings.session_token_parameter.name();
        let token_piece = token.as_deref().map(|value| Piece::Canonical {
            name: token_name,
            value,
        });
        let left_out = match mode {
            SessionTokenMode::Signed => {
                pieces.extend(token_piece);
                None
            }
            SessionTokenMode::SignedListedLast => token_piece,
            SessionTokenMode::AppendAfterSigning => None,
        };
        out.push('?');
        let query_start = out.len();
        let landmarks = write_sorted(&mut pieces, &mut out, None, left_out);
        let query = query_start..out.len();
        // The credential was written just above, under its own (reserved) name.
        let service_at = find_service(&out[query.clone()], &credential, &self.service)
            .map(|at| query_start + at)
            .ok_or(Error::MalformedUrl {
                reason: "the credential is missing from the written query",
            })?;
        let mut listed_last_token = None;
        if let (Some(token), false) = (&token, mode == SessionTokenMode::Signed) {
            let piece_start = out.len() + 1;
            out.push('&');
            out.push_str(token_name);
            out.push('=');
            out.push_str(token);
            if mode == SessionTokenMode::SignedListedLast {
                let at = u32::try_from(landmarks.left_out_at - query_start).unwrap_or(u32::MAX);
                listed_last_token = Some((Span::new(piece_start..out.len()), at));
            }
        }
        out.push_str(AND_X_AMZ_SIGNATURE);
        let layout = UrlLayout {
            host: Span::new(host),
            path: Span::new(path),
            query: Span::new(query),
            listed_last_token,
            region: Span::new(service_at..service_at),
            service: Span::new(service_at..service_at + self.service.len()),
            signature: u32::try_from(out.len()).map_err(|_| URL_TOO_LONG)?,
            path_is_canonical,
        };

        let payload_hash = request.payload_hash.unwrap_or(self.settings.payload_hash);
        let hash = layout.canonical_hash(&out, &method, &headers, &payload_hash, &self.settings);
        let string_to_sign = sigv4a_string_to_sign(&amz_date, &self.service, &hash);
        self.key.sign_hex(string_to_sign.as_bytes(), &mut out);
        Ok(PresignedUrl {
            url: out,
            method,
            layout,
            headers,
            payload_hash,
            path_encoding: self.settings.path_encoding,
            normalize_path: self.settings.normalize_path,
            amz_date,
            signed_at: time,
            expires,
            region_set: Some(self.region_set.as_str().into()),
        })
    }
}

/// Where the service stands in the written query: inside the credential's value, after
/// the key, the `%2F`, the date and the `%2F`.
fn find_service(query: &str, credential: &str, service: &str) -> Option<usize> {
    let name = "X-Amz-Credential=";
    let mut at = 0;
    for piece in query.split('&') {
        if piece.strip_prefix(name) == Some(credential) {
            let key_len = credential.len()
                - "%2F".len()
                - 8
                - "%2F".len()
                - service.len()
                - "%2Faws4_request".len();
            return Some(at + name.len() + key_len + 3 + 8 + 3);
        }
        at += piece.len() + 1;
    }
    None
}

impl fmt::Debug for Presigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigner")
            .field("credentials", &self.credentials)
            .field("region_set", &self.region_set)
            .field("service", &self.service)
            .field("settings", &self.settings)
            .field("public_key", self.key.public_key())
            .finish_non_exhaustive()
    }
}
