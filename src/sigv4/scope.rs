//! The credential scope, `DATE/REGION/SERVICE/aws4_request`: what a signature is valid
//! for.

use alloc::string::String;

use crate::error::{Error, Result};
use crate::sigv4::encoding;

/// The scope's last part.
pub(crate) const TERMINATOR: &str = "aws4_request";

/// `DATE/REGION/SERVICE/aws4_request`.
pub(crate) fn credential_scope(date: &str, region: &str, service: &str) -> String {
    let mut scope = String::with_capacity(16 + date.len() + region.len() + service.len());
    for part in [date, "/", region, "/", service, "/", TERMINATOR] {
        scope.push_str(part);
    }
    scope
}

/// Checks a region or service name for the credential scope.
pub(crate) fn check_scope_part(field: &'static str, value: &str) -> Result<()> {
    let reason = if value.is_empty() {
        "it is empty: give the region (e.g. us-east-1) or service signing name (e.g. s3) of the endpoint"
    } else if value.contains('/') {
        "it holds `/`, which separates the parts of the credential scope: give the bare name, e.g. us-east-1 or s3"
    } else if !value.bytes().all(encoding::is_unreserved) {
        "use letters, digits, `-`, `.`, `_` and `~` only, e.g. us-east-1, s3 or execute-api"
    } else {
        return Ok(());
    };
    Err(Error::InvalidScope {
        field,
        value: value.into(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_parts() {
        assert_eq!(
            credential_scope("20240501", "eu-west-1", "s3"),
            "20240501/eu-west-1/s3/aws4_request"
        );
        assert_eq!(check_scope_part("region", "us-east-1"), Ok(()));
        assert_eq!(check_scope_part("service", "execute-api"), Ok(()));
        for bad in ["", "us/east", "us east", "é"] {
            assert!(
                matches!(
                    check_scope_part("region", bad),
                    Err(Error::InvalidScope {
                        field: "region",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
    }
}
