//! The bodies a multipart upload exchanges, without an XML library: the
//! `CompleteMultipartUpload` request, and what to read out of the responses (the
//! `UploadId` of CreateMultipartUpload, the `ETag` of UploadPart, the outcome of
//! CompleteMultipartUpload, which can be an error in a `200 OK`).
//!
//! ```
//! use sigv4_presign::s3::multipart::{complete_multipart_upload_body, upload_id_from_response};
//!
//! // CreateMultipartUpload answered:
//! let response = r#"<?xml version="1.0" encoding="UTF-8"?>
//! <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
//!   <Bucket>photos</Bucket><Key>big.bin</Key><UploadId>VXBsb2FkIElE&amp;1</UploadId>
//! </InitiateMultipartUploadResult>"#;
//! assert_eq!(upload_id_from_response(response)?, "VXBsb2FkIElE&1");
//!
//! // Each UploadPart answered with an `ETag` header; complete with them, in order.
//! let body = complete_multipart_upload_body([(1, "\"a54357aff0632cce46d942af68356b38\""), (2, "\"0c78aef83f66abc1fa1e8477f296d394\"")])?;
//! assert!(body.starts_with("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Part><PartNumber>1</PartNumber><ETag>\"a54357aff0632cce46d942af68356b38\"</ETag></Part>"));
//! # Ok::<(), sigv4_presign::Error>(())
//! ```

use alloc::string::String;

use crate::error::{Error, Result};

/// S3's XML namespace.
const NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// The most parts an upload may have.
pub const MAX_PARTS: u32 = 10_000;

/// The body of a CompleteMultipartUpload request: the parts as (part number, ETag as the
/// UploadPart response gave it), in ascending part order. Part numbers must be 1 to
/// 10,000 and ascending (S3 refuses anything else); ETags must be non-empty. Text is
/// XML-escaped.
pub fn complete_multipart_upload_body<E: AsRef<str>>(
    parts: impl IntoIterator<Item = (u32, E)>,
) -> Result<String> {
    let mut body = String::with_capacity(128);
    body.push_str("<CompleteMultipartUpload xmlns=\"");
    body.push_str(NAMESPACE);
    body.push_str("\">");
    let mut previous = 0;
    for (part_number, etag) in parts {
        let etag = etag.as_ref();
        if !(1..=MAX_PARTS).contains(&part_number) {
            return Err(Error::PartNumberOutOfRange { part_number });
        }
        if part_number <= previous {
            return Err(Error::InvalidPartList {
                reason: "part numbers must be listed in ascending order, each once",
            });
        }
        if etag.trim().is_empty() {
            return Err(Error::InvalidPartList {
                reason: "a part has an empty ETag: give the ETag header its UploadPart returned",
            });
        }
        previous = part_number;
        body.push_str("<Part><PartNumber>");
        push_decimal(&mut body, part_number);
        body.push_str("</PartNumber><ETag>");
        push_escaped(&mut body, etag);
        body.push_str("</ETag></Part>");
    }
    if previous == 0 {
        return Err(Error::InvalidPartList {
            reason: "an upload is completed with at least one part",
        });
    }
    body.push_str("</CompleteMultipartUpload>");
    Ok(body)
}

/// The `UploadId` of a CreateMultipartUpload response body, unescaped.
pub fn upload_id_from_response(xml: &str) -> Result<String> {
    check_not_error(xml)?;
    let id = element(xml, "UploadId").ok_or(Error::UnexpectedResponse {
        expected: "an InitiateMultipartUploadResult with an <UploadId>",
    })?;
    let id = unescape(id)?;
    if id.is_empty() {
        return Err(Error::UnexpectedResponse {
            expected: "a non-empty <UploadId>",
        });
    }
    Ok(id)
}

/// The `ETag` header of an UploadPart response, as the part list needs it (quotes kept).
/// `headers` are (name, value) pairs in any case.
pub fn part_etag<'h>(headers: impl IntoIterator<Item = (&'h str, &'h str)>) -> Result<&'h str> {
    headers
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("etag"))
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
        .ok_or(Error::UnexpectedResponse {
            expected: "an UploadPart response with an ETag header (a browser must be allowed \
                       to read it: ExposeHeaders ETag in the bucket's CORS rules)",
        })
}

/// The object a completed multipart upload made: its ETag (the value in the body).
///
/// S3 may answer CompleteMultipartUpload with `200 OK` and an `<Error>` body when it fails
/// after it started answering: read the body, never the status alone.
pub fn completed_etag(xml: &str) -> Result<String> {
    check_not_error(xml)?;
    let etag = element(xml, "ETag").ok_or(Error::UnexpectedResponse {
        expected: "a CompleteMultipartUploadResult with an <ETag>",
    })?;
    unescape(etag)
}

/// Refuses an S3 `<Error>` document, with its code and message.
fn check_not_error(xml: &str) -> Result<()> {
    let Some(error) = element(xml, "Error") else {
        return Ok(());
    };
    let field = |name| {
        element(error, name)
            .and_then(|text| unescape(text).ok())
            .map(|text| text.chars().take(200).collect())
            .unwrap_or_default()
    };
    Err(Error::S3ErrorResponse {
        code: field("Code"),
        message: field("Message"),
    })
}

/// The text of the first `<name>` element (no attributes in S3's responses).
fn element<'x>(xml: &'x str, name: &str) -> Option<&'x str> {
    let mut rest = xml;
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        let Some(after) = rest.strip_prefix(name) else {
            continue;
        };
        // `<UploadId>` or `<UploadId >`, not `<UploadIdMarker>`.
        let Some(after) = after.trim_start().strip_prefix('>') else {
            continue;
        };
        let end = after.find("</")?;
        let (text, tail) = after.split_at(end);
        return tail[2..]
            .strip_prefix(name)
            .is_some_and(|t| t.trim_start().starts_with('>'))
            .then_some(text)
            .or_else(|| {
                // Nested elements: find this element's own end tag.
                let close = alloc::format!("</{name}>");
                after.find(&close).map(|end| &after[..end])
            });
    }
}

/// XML text with its five entities and character references resolved.
fn unescape(text: &str) -> Result<String> {
    let bad = Error::UnexpectedResponse {
        expected: "well-formed XML text (an unknown entity or character reference)",
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').ok_or(bad.clone())? + at;
        let entity = &rest[at + 1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(decimal) = entity.strip_prefix('#') {
                    decimal.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).ok_or(bad.clone())?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Escapes XML text (`&`, `<`, `>`; quotes stand as they are in element text).
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn push_decimal(out: &mut String, n: u32) {
    crate::sigv4::push_u64(out, u64::from(n));
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn body_lists_parts_in_order_escaped() {
        let body =
            complete_multipart_upload_body([(1, "\"e1\""), (2, "\"a&b<c>\""), (10_000, "x")])
                .unwrap();
        assert_eq!(
            body,
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag></Part>\
             <Part><PartNumber>2</PartNumber><ETag>\"a&amp;b&lt;c&gt;\"</ETag></Part>\
             <Part><PartNumber>10000</PartNumber><ETag>x</ETag></Part>\
             </CompleteMultipartUpload>"
        );
        let owned = vec![(3, String::from("\"e3\""))];
        assert!(complete_multipart_upload_body(owned).is_ok());
    }

    #[test]
    fn bad_part_lists_are_refused() {
        assert!(matches!(
            complete_multipart_upload_body([(0, "e")]),
            Err(Error::PartNumberOutOfRange { part_number: 0 })
        ));
        assert!(matches!(
            complete_multipart_upload_body([(10_001, "e")]),
            Err(Error::PartNumberOutOfRange {
                part_number: 10_001
            })
        ));
        for parts in [
            vec![(2, "e"), (1, "e")],
            vec![(1, "e"), (1, "e")],
            vec![(1, " ")],
            vec![],
        ] {
            assert!(
                matches!(
                    complete_multipart_upload_body(parts.clone()),
                    Err(Error::InvalidPartList { .. })
                ),
                "{parts:?}"
            );
        }
    }

    #[test]
    fn reads_the_upload_id() {
        let xml = "<?xml version=\"1.0\"?><InitiateMultipartUploadResult><Bucket>b</Bucket>\
                   <Key>k</Key><UploadId>a&amp;b&#x41;&#66;&lt;</UploadId></InitiateMultipartUploadResult>";
        assert_eq!(upload_id_from_response(xml).unwrap(), "a&bAB<");
        let every_entity = "<UploadId>&amp;&lt;&gt;&quot;&apos;&#233;&#xE9;</UploadId>";
        assert_eq!(upload_id_from_response(every_entity).unwrap(), "&<>\"'éé");
        assert!(upload_id_from_response("<UploadIdMarker>x</UploadIdMarker>").is_err());
        assert!(upload_id_from_response("<UploadId></UploadId>").is_err());
        assert!(upload_id_from_response("<UploadId>a&bogus;</UploadId>").is_err());
        assert!(upload_id_from_response("<UploadId>a&amp</UploadId>").is_err());
        assert!(upload_id_from_response("").is_err());
        let error = "<Error><Code>NoSuchBucket</Code><Message>The bucket &quot;b&quot; does not exist</Message></Error>";
        match upload_id_from_response(error) {
            Err(Error::S3ErrorResponse { code, message }) => {
                assert_eq!(code, "NoSuchBucket");
                assert_eq!(message, "The bucket \"b\" does not exist");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_etags() {
        let headers = [("Content-Length", "0"), ("ETag", " \"abc\" ")];
        assert_eq!(part_etag(headers).unwrap(), "\"abc\"");
        assert!(part_etag([("etag", "")]).is_err());
        assert!(part_etag([("x", "y")]).is_err());
        let done = "<CompleteMultipartUploadResult><Location>l</Location><Bucket>b</Bucket>\
                    <Key>k</Key><ETag>&quot;3858f62230ac3c915f300c664312c11f-9&quot;</ETag>\
                    </CompleteMultipartUploadResult>";
        assert_eq!(
            completed_etag(done).unwrap(),
            "\"3858f62230ac3c915f300c664312c11f-9\""
        );
        let failed_in_200 = "<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code>\
                             <Message>We encountered an internal error.</Message></Error>";
        assert!(matches!(
            completed_etag(failed_in_200),
            Err(Error::S3ErrorResponse { .. })
        ));
    }

    #[test]
    fn nested_elements_end_at_their_own_tag() {
        assert_eq!(
            element("<Error><Code>C</Code></Error>", "Error"),
            Some("<Code>C</Code>")
        );
        assert_eq!(element("<A>x</A>", "A"), Some("x"));
        assert_eq!(element("<AB>x</AB><A>y</A>", "A"), Some("y"));
        assert_eq!(element("<A>x", "A"), None);
    }
}
