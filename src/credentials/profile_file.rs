//! The shared `config` and `credentials` files, read as the AWS SDKs read them (the rules
//! of the SDKs' shared profile-file test suite).
//!
//! - A line whose first character is `#` or `;` is a comment; in a property line, `#` or
//!   `;` after whitespace starts one (`region = eu-west-1 # Ireland`); a section line may
//!   end in a comment with or without whitespace before it.
//! - `[default]`, `[profile NAME]`, `[services NAME]` and `[sso-session NAME]` in the
//!   config file; `[NAME]` in the credentials file. A section of another kind, or a name
//!   that is not made of letters, digits and `_-/.%@:+`, is left out with its properties.
//!   `[profile default]` anywhere in the config file replaces its `[default]` sections.
//! - `key = value` (split at the first `=`, both sides trimmed, keys compared without
//!   case); a line indented under a property continues it, and under a property with an
//!   empty value it is a sub-property (`s3 =` then `  addressing_style = path`).
//! - A section or key given twice merges, the last value winning; for one profile, the
//!   credentials file wins over the config file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::string::{String, ToString};

use crate::credentials::error::ConfigError;

/// Which file a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Config,
    Credentials,
}

/// A property's value and where it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    pub(crate) text: String,
    pub(crate) path: PathBuf,
    pub(crate) line: usize,
}

/// The properties of one section, keys lower-cased.
pub(crate) type Properties = BTreeMap<String, Value>;

/// What a file defines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProfileFile {
    pub(crate) profiles: BTreeMap<String, Properties>,
    pub(crate) services: BTreeMap<String, Properties>,
    pub(crate) sso_sessions: BTreeMap<String, Properties>,
}

/// Where a property line goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Profile(String),
    /// `[default]` in the config file, which `[profile default]` replaces.
    BareDefault,
    Services(String),
    SsoSession(String),
    /// A section that is left out (another kind, or an invalid name).
    Ignored,
}

/// Whether `name` is a valid profile, section or key name.
fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-/.%@:+".contains(&b))
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim(text: &str) -> &str {
    text.trim_matches([' ', '\t'])
}

/// Parses the text of `path`.
pub(crate) fn parse(text: &str, kind: FileKind, path: &Path) -> Result<ProfileFile, ConfigError> {
    let error = |line: usize, reason: &'static str| ConfigError::Syntax {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut file = ProfileFile::default();
    let mut bare_default: Option<Properties> = None;
    let mut has_profile_default = false;
    // The section being read, and the property a continuation line extends (its key, and
    // whether it takes sub-properties).
    let mut section: Option<Target> = None;
    let mut property: Option<(String, bool)> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let Some(&first) = line.as_bytes().first() else {
            continue;
        };
        if trim(line).is_empty() || first == b'#' || first == b';' {
            continue;
        }
        if first == b'[' {
            let target = section_target(line, kind).map_err(|reason| error(line_no, reason))?;
            if target == Target::Profile("default".into()) && kind == FileKind::Config {
                has_profile_default = true;
            }
            // A section names its profile even before (or without) a property.
            match &target {
                Target::Profile(name) => {
                    file.profiles.entry(name.clone()).or_default();
                }
                Target::BareDefault => {
                    bare_default.get_or_insert_with(Properties::new);
                }
                Target::Services(name) => {
                    file.services.entry(name.clone()).or_default();
                }
                Target::SsoSession(name) => {
                    file.sso_sessions.entry(name.clone()).or_default();
                }
                Target::Ignored => {}
            }
            section = Some(target);
            property = None;
            continue;
        }
        let Some(target) = &section else {
            return Err(error(
                line_no,
                "expected a section such as [default] or [profile NAME] before this line",
            ));
        };
        let properties = match target {
            Target::Profile(name) => Some(file.profiles.entry(name.clone()).or_default()),
            Target::BareDefault => bare_default.as_mut(),
            Target::Services(name) => Some(file.services.entry(name.clone()).or_default()),
            Target::SsoSession(name) => Some(file.sso_sessions.entry(name.clone()).or_default()),
            Target::Ignored => None,
        };
        if is_blank(first) {
            // A continuation of the last property.
            let Some((key, takes_sub_properties)) = &property else {
                return Err(error(
                    line_no,
                    "an indented line must follow a property (`key = value`), not a section line",
                ));
            };
            let content = trim(line);
            if *takes_sub_properties {
                let Some((sub_key, _)) = content.split_once('=') else {
                    return Err(error(
                        line_no,
                        "expected an `=` in this sub-property: write it as `key = value`",
                    ));
                };
                if trim(sub_key).is_empty() {
                    return Err(error(
                        line_no,
                        "this sub-property has no name before its `=`",
                    ));
                }
            }
            if let Some(value) = properties.and_then(|p| p.get_mut(key)) {
                value.text.push('\n');
                value.text.push_str(content);
            }
            continue;
        }
        let content = strip_property_comment(trim(line));
        let Some((key, value)) = content.split_once('=') else {
            return Err(error(
                line_no,
                "expected an `=` in this property: write it as `key = value`",
            ));
        };
        let (key, value) = (trim(key), trim(value));
        if key.is_empty() {
            return Err(error(line_no, "this property has no name before its `=`"));
        }
        if !is_identifier(key) {
            // Left out, as the SDKs leave it (with a warning).
            property = None;
            continue;
        }
        let key = key.to_ascii_lowercase();
        property = Some((key.clone(), value.is_empty()));
        if let Some(properties) = properties {
            properties.insert(
                key,
                Value {
                    text: value.to_string(),
                    path: path.to_path_buf(),
                    line: line_no,
                },
            );
        }
    }
    // `[profile default]` anywhere replaces every `[default]` of the file.
    if let (false, Some(properties)) = (has_profile_default, bare_default) {
        file.profiles.insert("default".into(), properties);
    }
    Ok(file)
}

/// A property line's content without its comment: `#` or `;` after whitespace.
fn strip_property_comment(content: &str) -> &str {
    let bytes = content.as_bytes();
    let cut = (1..bytes.len())
        .find(|&i| matches!(bytes[i], b'#' | b';') && is_blank(bytes[i - 1]))
        .unwrap_or(bytes.len());
    trim(&content[..cut])
}

/// Where the lines after the section line `line` go.
fn section_target(line: &str, kind: FileKind) -> Result<Target, &'static str> {
    let line = trim(line);
    let line = trim(&line[..line.find(['#', ';']).unwrap_or(line.len())]);
    let Some(inner) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) else {
        return Err("a section line must end with `]` (a comment may follow it)");
    };
    let inner = trim(inner);
    let (prefix, name) = match inner.find([' ', '\t']) {
        Some(at) => (Some(&inner[..at]), trim(&inner[at..])),
        None => (None, inner),
    };
    if !is_identifier(name) {
        return Ok(Target::Ignored);
    }
    let name = name.to_string();
    Ok(match (kind, prefix) {
        (FileKind::Config, None) if name == "default" => Target::BareDefault,
        (FileKind::Config, Some("profile")) => Target::Profile(name),
        (FileKind::Config, Some("services")) => Target::Services(name),
        (FileKind::Config, Some("sso-session")) => Target::SsoSession(name),
        (FileKind::Credentials, None) => Target::Profile(name),
        _ => Target::Ignored,
    })
}

/// The sub-properties of a property whose value is its indented lines (`s3 =` then
/// `  addressing_style = path`): keys lower-cased, split at the first `=`.
pub(crate) fn sub_properties(value: &str) -> BTreeMap<String, String> {
    value
        .split('\n')
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (trim(key).to_ascii_lowercase(), trim(value).to_string()))
        .filter(|(key, _)| !key.is_empty())
        .collect()
}

/// `config`'s profile `name` with `credentials`' merged over it.
pub(crate) fn merged_profile(
    config: &ProfileFile,
    credentials: &ProfileFile,
    name: &str,
) -> Option<Properties> {
    let from_config = config.profiles.get(name);
    let from_credentials = credentials.profiles.get(name);
    if from_config.is_none() && from_credentials.is_none() {
        return None;
    }
    let mut merged = from_config.cloned().unwrap_or_default();
    for (key, value) in from_credentials.into_iter().flatten() {
        merged.insert(key.clone(), value.clone());
    }
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn config(text: &str) -> Result<ProfileFile, ConfigError> {
        parse(text, FileKind::Config, Path::new("config"))
    }

    fn credentials(text: &str) -> Result<ProfileFile, ConfigError> {
        parse(text, FileKind::Credentials, Path::new("credentials"))
    }

    /// The profiles as `name: key=value, …`.
    fn profiles(file: &ProfileFile) -> Vec<String> {
        file.profiles
            .iter()
            .map(|(name, props)| {
                let pairs: Vec<String> = props
                    .iter()
                    .map(|(k, v)| std::format!("{k}={}", v.text))
                    .collect();
                std::format!("{name}: {}", pairs.join(", "))
            })
            .collect()
    }

    fn syntax_error(result: Result<ProfileFile, ConfigError>) -> (usize, &'static str) {
        match result {
            Err(ConfigError::Syntax { line, reason, .. }) => (line, reason),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn sections_and_names() {
        let file = config(
            "[profile foo]\n[profile some-thing:long/the_one%only.foo@bar+]\n[profile foo!bar]\n\
             [   profile \t spaced \t ]\n[profile\ttab]\n[profilefoo]\n[bare]\n[other x]\n\
             [profile in valid]\nx = 1\n[default]\nregion = r\n",
        )
        .unwrap();
        assert_eq!(
            profiles(&file),
            [
                "default: region=r",
                "foo: ",
                "some-thing:long/the_one%only.foo@bar+: ",
                "spaced: ",
                "tab: "
            ]
        );
        let creds =
            credentials("[foo]\n[profile bar]\n[   baz  ]\n[sso-sessionfoo]\nk = v\n").unwrap();
        assert_eq!(profiles(&creds), ["baz: ", "foo: ", "sso-sessionfoo: k=v"]);
        assert_eq!(
            syntax_error(config("[profile foo")),
            (
                1,
                "a section line must end with `]` (a comment may follow it)"
            )
        );
        assert!(config("[profile foo] junk").is_err());
        assert!(config("[profile foo]# x\n[profile bar] ; y").is_ok());
    }

    #[test]
    fn properties_comments_and_whitespace() {
        let file = config(
            "# comment\n; comment\n\n   \t\n[profile foo] # c\r\nname \t=  \tvalue \t\r\n\
             a = value # comment with # sign\nb = value; kept\nc = value#kept # cut\n\
             d = val=ue\ne =\nABc = DEF\nin valid = dropped\nemoji = 😀\n",
        )
        .unwrap();
        assert_eq!(
            profiles(&file),
            [
                "foo: a=value, abc=DEF, b=value; kept, c=value#kept, d=val=ue, e=, emoji=😀, name=value"
            ]
        );
        assert_eq!(
            syntax_error(config("name = value")),
            (
                1,
                "expected a section such as [default] or [profile NAME] before this line"
            )
        );
        assert_eq!(
            syntax_error(config("[profile foo]\n= value")),
            (2, "this property has no name before its `=`")
        );
        assert_eq!(
            syntax_error(config("[profile foo]\nkey : value")),
            (
                2,
                "expected an `=` in this property: write it as `key = value`"
            )
        );
    }

    #[test]
    fn continuations_and_sub_properties() {
        let file = config(
            "[profile foo]\nname = value\n -continued # kept\n\t-again\n\
             s3 =\n  addressing_style = path\n\n  endpoint_url = http://h:9000/?a=b\n  in valid = ok\n",
        )
        .unwrap();
        let foo = &file.profiles["foo"];
        assert_eq!(foo["name"].text, "value\n-continued # kept\n-again");
        assert_eq!(
            foo["s3"].text,
            "\naddressing_style = path\nendpoint_url = http://h:9000/?a=b\nin valid = ok"
        );
        let sub = sub_properties(&foo["s3"].text);
        assert_eq!(sub["addressing_style"], "path");
        assert_eq!(
            sub["endpoint_url"], "http://h:9000/?a=b",
            "not cut at a second `=`"
        );
        assert_eq!(
            syntax_error(config(" -continued")),
            (
                1,
                "expected a section such as [default] or [profile NAME] before this line"
            )
        );
        assert_eq!(
            syntax_error(config("[profile foo]\n -continued")),
            (
                2,
                "an indented line must follow a property (`key = value`), not a section line"
            )
        );
        assert_eq!(
            syntax_error(config("[profile foo]\ns3 =\n invalid")),
            (
                3,
                "expected an `=` in this sub-property: write it as `key = value`"
            )
        );
        assert_eq!(
            syntax_error(config("[profile foo]\ns3 =\n = value")),
            (3, "this sub-property has no name before its `=`")
        );
        assert!(config("[profile foo]\ns3 =\n name =").is_ok());
    }

    #[test]
    fn duplicates_and_defaults() {
        let file = config(
            "[profile foo]\na = 1\nb = 1\n[profile foo]\nA = 2\n[default]\nx = bare\n\
             [profile default]\ny = prefixed\n",
        )
        .unwrap();
        assert_eq!(profiles(&file), ["default: y=prefixed", "foo: a=2, b=1"]);
        let bare_only = config("[default]\nx = 1\n[default]\nx = 2\n").unwrap();
        assert_eq!(profiles(&bare_only), ["default: x=2"]);
        assert_eq!(profiles(&config("[default]").unwrap()), ["default: "]);
        // Properties of an ignored section go nowhere.
        let file =
            config("[profile foo]\n[profile in valid]\nx = 1\n -more\n[profile bar]\n").unwrap();
        assert_eq!(profiles(&file), ["bar: ", "foo: "]);
    }

    #[test]
    fn services_and_sso_sections() {
        let file = config(
            "[profile dev]\nservices = local\n[services local]\ns3 =\n  endpoint_url = http://localhost:9000\n\
             [sso-session corp]\nsso_region = eu-west-1\n",
        )
        .unwrap();
        assert_eq!(file.profiles["dev"]["services"].text, "local");
        assert_eq!(
            sub_properties(&file.services["local"]["s3"].text)["endpoint_url"],
            "http://localhost:9000"
        );
        assert_eq!(file.sso_sessions["corp"]["sso_region"].text, "eu-west-1");
    }

    #[test]
    fn the_credentials_file_wins() {
        let c = config("[profile foo]\nname = value\nregion = r\n[foo]\nx = ignored\n").unwrap();
        let k = credentials(
            "[foo]\nname = value2\naws_access_key_id = k\n[profile foo]\ny = ignored\n",
        )
        .unwrap();
        let merged = merged_profile(&c, &k, "foo").unwrap();
        let shown: Vec<String> = merged
            .iter()
            .map(|(k, v)| std::format!("{k}={}", v.text))
            .collect();
        assert_eq!(shown, ["aws_access_key_id=k", "name=value2", "region=r"]);
        assert_eq!(merged["name"].path, Path::new("credentials"));
        assert_eq!(merged["region"].line, 3);
        assert_eq!(merged_profile(&c, &k, "missing"), None);
    }
}
