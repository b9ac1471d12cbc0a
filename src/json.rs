//! Just enough JSON to read one object: what a `credential_process` prints,
//! `KUBERNETES_EXEC_INFO`, an S3 POST policy. Numbers are kept as written.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

/// Appends `text` as a JSON string: quotes, backslashes and control characters escaped,
/// non-ASCII as `\uXXXX` (surrogate pairs beyond the BMP).
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    String(String),
    /// A number, as written.
    Number(String),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// `true`, `false` or `null`.
    Other,
}

/// The members of the object `text` holds, or what is wrong with it.
pub(crate) fn parse_object(text: &str) -> Result<BTreeMap<String, Value>, &'static str> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
    };
    reader.space();
    let members = reader.object()?;
    reader.space();
    if reader.at != reader.bytes.len() {
        return Err("text follows the JSON object");
    }
    Ok(members)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// How deep nested values may go.
const MAX_DEPTH: usize = 32;

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn require(&mut self, byte: u8, what: &'static str) -> Result<(), &'static str> {
        self.space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(what)
        }
    }

    fn object(&mut self) -> Result<BTreeMap<String, Value>, &'static str> {
        self.object_at(0)
    }

    fn object_at(&mut self, depth: usize) -> Result<BTreeMap<String, Value>, &'static str> {
        self.require(b'{', "the text is not a JSON object")?;
        let mut members = BTreeMap::new();
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(members);
        }
        loop {
            self.space();
            let name = self.string()?;
            self.require(b':', "a `:` is missing after a member name")?;
            let value = self.value(depth)?;
            if members.insert(name, value).is_some() {
                return Err("a JSON object names a member twice");
            }
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(members);
                }
                _ => return Err("a `,` or `}` is missing after a member"),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, &'static str> {
        if depth > MAX_DEPTH {
            return Err("the JSON nests too deeply");
        }
        self.space();
        match self.peek() {
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'{') => self.object_at(depth + 1).map(Value::Object),
            Some(b'[') => self.array(depth + 1).map(Value::Array),
            Some(b't') => self.word("true"),
            Some(b'f') => self.word("false"),
            Some(b'n') => self.word("null"),
            _ => Err("a JSON value is malformed"),
        }
    }

    fn word(&mut self, word: &'static str) -> Result<Value, &'static str> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(Value::Other)
        } else {
            Err("a JSON value is malformed")
        }
    }

    fn number(&mut self) -> Result<String, &'static str> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.at += 1;
        }
        let text = core::str::from_utf8(&self.bytes[start..self.at]).map_err(|_| "bad number")?;
        if text.parse::<f64>().is_err() {
            return Err("a JSON number is malformed");
        }
        Ok(text.into())
    }

    fn array(&mut self, depth: usize) -> Result<Vec<Value>, &'static str> {
        self.require(b'[', "a JSON array was expected")?;
        let mut items = Vec::new();
        self.space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(items);
        }
        loop {
            items.push(self.value(depth)?);
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(items);
                }
                _ => return Err("a `,` or `]` is missing in an array"),
            }
        }
    }

    fn string(&mut self) -> Result<String, &'static str> {
        if self.peek() != Some(b'"') {
            return Err("a JSON string was expected");
        }
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while !matches!(self.peek(), None | Some(b'"' | b'\\')) {
                if self.peek().is_some_and(|b| b < 0x20) {
                    return Err("a JSON string holds a control character");
                }
                self.at += 1;
            }
            out.push_str(
                core::str::from_utf8(&self.bytes[start..self.at])
                    .map_err(|_| "the JSON is not UTF-8")?,
            );
            match self.peek() {
                None => return Err("a JSON string is not closed"),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                _ => {
                    self.at += 1;
                    let escaped = self.peek().ok_or("a JSON string is not closed")?;
                    self.at += 1;
                    out.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err("a JSON string holds an unknown escape"),
                    });
                }
            }
        }
    }

    /// The character of `\uXXXX` (a surrogate pair takes two), the `\u` read.
    fn unicode_escape(&mut self) -> Result<char, &'static str> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.bytes[self.at..].starts_with(b"\\u") {
                return Err("a JSON string holds a lone surrogate");
            }
            self.at += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err("a JSON string holds a lone surrogate");
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or("a JSON string holds a lone surrogate")
    }

    fn hex4(&mut self) -> Result<u32, &'static str> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or("a \\u escape is cut short")?;
        let text = core::str::from_utf8(digits).map_err(|_| "a \\u escape is malformed")?;
        let code = u32::from_str_radix(text, 16).map_err(|_| "a \\u escape is malformed")?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err("a \\u escape is malformed");
        }
        self.at += 4;
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_credential_process_object() {
        let members = parse_object(
            r#" {"Version": 1, "AccessKeyId": "AK\u0049D", "SecretAccessKey": "s\"\\/x",
                "SessionToken": "t😀\ud83d\ude00", "Expiration": "2024-05-01T12:00:00Z",
                "Extra": {"a": [1, {"b": null}], "c": true}, "Empty": [], "F": false} "#,
        )
        .unwrap();
        assert_eq!(members["Version"], Value::Number("1".into()));
        assert_eq!(members["AccessKeyId"], Value::String("AKID".into()));
        assert_eq!(members["SecretAccessKey"], Value::String("s\"\\/x".into()));
        assert_eq!(members["SessionToken"], Value::String("t😀😀".into()));
        let Value::Object(extra) = &members["Extra"] else {
            panic!("an object")
        };
        assert_eq!(extra["c"], Value::Other);
        assert_eq!(
            extra["a"],
            Value::Array(alloc::vec![
                Value::Number("1".into()),
                Value::Object([("b".into(), Value::Other)].into())
            ])
        );
        assert_eq!(members["Empty"], Value::Array(alloc::vec![]));
        assert_eq!(members["F"], Value::Other);
        assert_eq!(members.len(), 8);
        assert_eq!(parse_object("{}"), Ok(BTreeMap::new()));
    }

    #[test]
    fn refuses_what_is_not_one_object() {
        for bad in [
            "",
            "[]",
            "{",
            "{\"a\"}",
            "{\"a\": }",
            "{\"a\": 1,}",
            "{\"a\": 1} x",
            "{\"a\": \"\n\"}",
            "{\"a\": \"\\q\"}",
            "{\"a\": \"\\ud800\"}",
            "{\"a\": \"\\u12\"}",
            "{\"a\": tru}",
            "{\"a\": 1.2.3}",
            "{\"a\": [1, 2}",
            "{\"a\": 1, \"a\": 2}",
            "{\"a\": [1 2]}",
            "{a: 1}",
            "not json",
        ] {
            assert!(parse_object(bad).is_err(), "{bad:?}");
        }
        let deep = alloc::format!("{{\"a\": {}{}}}", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_object(&deep), Err("the JSON nests too deeply"));
    }
}
