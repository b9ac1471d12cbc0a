//! The project's compact vector format (see the headers of `tests/vectors/*.txt`).

use std::collections::BTreeMap;

use time::OffsetDateTime;
use time::macros::format_description;

/// One `=== name` block: its single-value lines and its multi-line (`key N`) fields.
#[derive(Debug, Default)]
pub struct Case {
    pub name: String,
    pub fields: BTreeMap<String, String>,
    pub headers: Vec<(String, String)>,
    pub params: Vec<(String, String)>,
    pub flags: Vec<String>,
}

impl Case {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }

    pub fn req(&self, key: &str) -> &str {
        self.get(key)
            .unwrap_or_else(|| panic!("{}: no `{key}` line", self.name))
    }
}

pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('\\') => out.push('\\'),
                other => panic!("bad escape \\{other:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub fn parse(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut lines = text.lines();
    let mut current: Option<Case> = None;
    while let Some(line) = lines.next() {
        if let Some(name) = line.strip_prefix("=== ") {
            cases.extend(current.take());
            current = Some(Case {
                name: name.into(),
                ..Case::default()
            });
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let case = current.as_mut().expect("line before the first case");
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        match key {
            "header" => {
                let (n, v) = value.split_once(':').expect("header without colon");
                let v = v.strip_prefix(' ').unwrap_or(v);
                case.headers.push((n.into(), unescape(v)));
            }
            "creq" | "sts" => {
                let n: usize = value.parse().expect("line count");
                let block: Vec<&str> = (0..n).map(|_| lines.next().expect("short block")).collect();
                case.fields.insert(key.into(), block.join("\n"));
            }
            "param" | "cookie" => {
                let (n, v) = value.split_once('=').unwrap_or((value, ""));
                case.params.push((n.into(), v.into()));
            }
            "omit-token" => case.flags.push(key.into()),
            _ => {
                case.fields.insert(key.into(), value.into());
            }
        }
    }
    cases.extend(current);
    cases
}

pub fn parse_time(s: &str) -> OffsetDateTime {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(s, format)
        .expect("time")
        .assume_utc()
}
