//! Writing the URL the presigner emits: its origin, path and query (the auth parameters
//! in their sorted places), sized in advance so that the URL is one allocation.

use alloc::string::String;
use core::ops::Range;

use crate::error::Result;
use crate::sigv4::auth_query::{AuthQuery, QueryLandmarks};
use crate::sigv4::canonical_query::{Piece, collect_pieces, write_sorted};
use crate::sigv4::canonical_uri::push_url_path;
use crate::sigv4::encoding;
use crate::sigv4::presigner::Presigner;
use crate::sigv4::request::PresignRequest;
use crate::sigv4::settings::{PathEncoding, SessionTokenMode};
use crate::sigv4::target::{PathForm, TargetRef};

impl Presigner {
    /// Enough bytes for the usual URL, never a reason to fail.
    #[inline]
    pub(super) fn url_capacity(
        &self,
        request: &PresignRequest<'_>,
        target: &TargetRef<'_>,
    ) -> usize {
        let raw_query = request
            .query
            .iter()
            .fold(0usize, |n, (k, v)| n.saturating_add(k.len() + v.len() + 2));
        let names = request
            .headers
            .iter()
            .fold(0usize, |n, (k, _)| n.saturating_add(k.len() + 3));
        let path = match target.path_form {
            PathForm::Raw if !encoding::is_plain_path(target.path.as_bytes()) => {
                target.path.len().saturating_mul(3)
            }
            _ => target.path.len(),
        };
        raw_query
            .saturating_add(names)
            .saturating_mul(3)
            .saturating_add(path)
            .saturating_add(target.host().len() + target.query.len() + 16)
            .saturating_add(self.auth.url_len())
            .min(1 << 20)
    }

    /// Writes the path as the URL carries it (see [`push_url_path`]).
    #[inline]
    pub(super) fn write_path(
        &self,
        out: &mut String,
        target: &TargetRef<'_>,
        verbatim: bool,
    ) -> (Range<usize>, bool) {
        let start = out.len();
        let canonical = push_url_path(
            out,
            target.path,
            target.path_form,
            self.settings.path_encoding,
            verbatim,
        ) && self.settings.path_encoding == PathEncoding::S3;
        (start..out.len(), canonical)
    }

    /// Writes the canonical query, which is also the URL's (a token listed last left out).
    #[inline]
    pub(super) fn write_query(
        &self,
        out: &mut String,
        target: &TargetRef<'_>,
        request: &PresignRequest<'_>,
        auth: &AuthQuery<'_>,
    ) -> Result<QueryLandmarks> {
        if target.query.is_empty() && request.query.is_empty() {
            // Only the auth parameters, which are in canonical order as they come.
            return Ok(auth.write_all(out));
        }
        let in_place = self
            .auth
            .signs_token_in_place()
            .then(|| self.auth.token_param());
        let mut pieces = collect_pieces(target.query, &request.query, in_place)?;
        let left_out = self
            .token_listed_last()
            .map(|_| Piece::Auth(self.auth.token_param()));
        Ok(write_sorted(&mut pieces, out, Some(auth), left_out))
    }

    /// The length of `X-Amz-Security-Token=…` when the token is signed but listed last.
    #[inline]
    pub(super) fn token_listed_last(&self) -> Option<usize> {
        if self.settings.session_token != SessionTokenMode::SignedListedLast {
            return None;
        }
        let token = self.auth.encoded_token()?;
        Some(self.auth.token_parameter().name().len() + 1 + token.len())
    }
}
