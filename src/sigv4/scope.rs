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

/// SigV4a's scope, `DATE/SERVICE/aws4_request`: the regions are in the region set.
pub(crate) fn sigv4a_scope(date: &str, service: &str) -> String {
    let mut scope = String::with_capacity(16 + date.len() + service.len());
    for part in [date, "/", service, "/", TERMINATOR] {
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

/// Checks that `region` is written as AWS writes region names (`us-east-1`,
/// `us-gov-west-1`, `cn-north-1`): lower-case words joined by `-`, ending in a number. An
/// AWS endpoint's host name is built from it, so `US-EAST-1`, `eu_west_1` or a host name
/// (`s3.eu-west-1.amazonaws.com`) would name another host.
pub(crate) fn check_aws_region(region: &str) -> Result<()> {
    let parts: alloc::vec::Vec<&str> = region.split('-').collect();
    let shaped = parts.len() >= 3
        && parts[0].len() >= 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if shaped {
        Ok(())
    } else {
        Err(Error::InvalidScope {
            field: "region",
            value: region.into(),
            reason: "an AWS endpoint needs an AWS region name such as us-east-1 or eu-west-1 \
                     (lower case, not a host name); stores with regions of their own take \
                     any region on a custom endpoint",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_region_names() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "cn-northwest-1",
            "eu-isoe-west-1",
            "ap-southeast-5",
        ] {
            assert_eq!(check_aws_region(ok), Ok(()), "{ok}");
        }
        for bad in [
            "US-EAST-1",
            "eu_west_1",
            "s3.eu-west-1.amazonaws.com",
            "auto",
            "us-east",
            "u-east-1",
            "us--1",
            "us-east-1a",
            "",
        ] {
            assert!(check_aws_region(bad).is_err(), "{bad}");
        }
    }

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
