//! `Content-Disposition` values for any file name (RFC 6266, with RFC 8187's `filename*`):
//! an ASCII fallback for old clients and the exact name in UTF-8 for the rest. A raw
//! non-ASCII name in the header arrives mangled, which is why the S3 options that take a
//! disposition refuse one.
//!
//! ```
//! use sigv4_presign::s3::{Bucket, content_disposition_attachment};
//!
//! assert_eq!(
//!     content_disposition_attachment("résumé 2024 \"final\".pdf"),
//!     "attachment; filename=\"r_sum_ 2024 _final_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202024%20%22final%22.pdf"
//! );
//! assert_eq!(content_disposition_attachment("report.pdf"), "attachment; filename=\"report.pdf\"");
//!
//! // A download link that saves under the exact name:
//! # use sigv4_presign::{Credentials, Presigner};
//! # let presigner = Presigner::new(Credentials::new("AKID", "secret")?, "eu-west-1", "s3")?;
//! let bucket = Bucket::new("my-bucket", "eu-west-1")?;
//! let link = bucket
//!     .get_object("cv/7f3a.pdf")
//!     .response_content_disposition(content_disposition_attachment("résumé.pdf"))
//!     .presign(&presigner, time::macros::datetime!(2024-05-01 12:00 UTC))?;
//! assert!(link.url().contains("response-content-disposition=attachment%3B%20filename%3D%22r_sum_.pdf%22%3B%20filename%2A%3DUTF-8%27%27r%25C3%25A9sum%25C3%25A9.pdf"));
//! # Ok::<(), sigv4_presign::Error>(())
//! ```

use alloc::string::String;

/// `attachment; filename="…"` (and `filename*=UTF-8''…` when the name is not plain
/// ASCII): the browser saves the file under `filename`.
pub fn content_disposition_attachment(filename: &str) -> String {
    disposition("attachment", filename)
}

/// `inline; filename="…"` (and `filename*`): the browser shows the file, and saves it under
/// `filename` if asked to.
pub fn content_disposition_inline(filename: &str) -> String {
    disposition("inline", filename)
}

fn disposition(kind: &str, filename: &str) -> String {
    let mut out = String::with_capacity(kind.len() + 2 * filename.len() + 32);
    out.push_str(kind);
    out.push_str("; filename=\"");
    // The fallback: printable ASCII but for `"` and `\`, each other character `_`.
    let mut exact = true;
    for c in filename.chars() {
        if c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\' {
            out.push(c);
        } else {
            out.push('_');
            exact = false;
        }
    }
    out.push('"');
    if !exact {
        out.push_str("; filename*=UTF-8''");
        for &b in filename.as_bytes() {
            // RFC 8187's attr-char; everything else percent-encoded.
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                out.push(char::from(b));
            } else {
                out.push_str(crate::sigv4::percent_encode_byte(b));
            }
        }
    }
    out
}

/// Whether `value` can travel in an HTTP header unmangled: visible ASCII, spaces and tabs.
pub(crate) fn is_header_safe(value: &str) -> bool {
    value
        .bytes()
        .all(|b| (b' '..0x7f).contains(&b) || b == b'\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_need_no_extended_form() {
        assert_eq!(
            content_disposition_inline("a b;c,d.txt"),
            "inline; filename=\"a b;c,d.txt\""
        );
        assert_eq!(
            content_disposition_attachment(""),
            "attachment; filename=\"\""
        );
    }

    #[test]
    fn other_names_carry_the_exact_name_in_utf8() {
        assert_eq!(
            content_disposition_attachment("a\\b\u{7}c"),
            "attachment; filename=\"a_b_c\"; filename*=UTF-8''a%5Cb%07c"
        );
        assert_eq!(
            content_disposition_inline("日本.txt"),
            "inline; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt"
        );
        // Every byte outside attr-char is encoded, `%`, `'` and `*` included.
        assert_eq!(
            content_disposition_attachment("100%'*é"),
            "attachment; filename=\"100%'*_\"; filename*=UTF-8''100%25%27%2A%C3%A9"
        );
        for name in ["résumé 2024 \"final\".pdf", "a\r\nb", "日本"] {
            assert!(
                is_header_safe(&content_disposition_attachment(name)),
                "{name}"
            );
        }
    }

    #[test]
    fn header_safety() {
        assert!(is_header_safe("attachment; filename=\"a b\"\t"));
        assert!(!is_header_safe("attachment; filename=\"é\""));
        assert!(!is_header_safe("a\nb"));
        assert!(!is_header_safe("a\u{7f}"));
    }
}
