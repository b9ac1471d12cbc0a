//! The environment the settings are read from: the process's, or one given in full (for
//! tests, and for programs that keep their own).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::string::String;
use std::vec::Vec;

/// A snapshot of environment variables. Empty values count as unset, as in the AWS CLI.
///
/// `Debug` shows the names only: values include secrets.
///
/// ```
/// use sigv4_presign::credentials::Env;
///
/// let env = Env::from_pairs([("AWS_REGION", "eu-west-1"), ("AWS_PROFILE", "")]);
/// assert_eq!(env.get("AWS_REGION"), Some("eu-west-1"));
/// assert_eq!(env.get("AWS_PROFILE"), None);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// The process's environment (variables that are not UTF-8 are left out).
    pub fn from_process() -> Self {
        Self::from_pairs(std::env::vars_os().filter_map(|(name, value)| {
            Some((name.into_string().ok()?, value.into_string().ok()?))
        }))
    }

    /// An environment of exactly these variables.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let vars = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        Self { vars }
    }

    /// The value of `name`, unless it is unset or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Sets `name` (an empty value unsets it).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        if value.is_empty() {
            self.vars.remove(&name);
        } else {
            self.vars.insert(name, value);
        }
    }

    /// The user's home folder: `HOME`, else `USERPROFILE`, else `HOMEDRIVE` + `HOMEPATH`.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        if let Some(home) = self.get("HOME").or_else(|| self.get("USERPROFILE")) {
            return Some(PathBuf::from(home));
        }
        let (drive, path) = (self.get("HOMEDRIVE")?, self.get("HOMEPATH")?);
        Some(PathBuf::from(std::format!("{drive}{path}")))
    }

    /// `path` with a leading `~` (alone or before a separator) replaced by the home folder.
    pub(crate) fn expand_home(&self, path: &str) -> PathBuf {
        let rest = match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => rest,
            _ => return PathBuf::from(path),
        };
        match self.home() {
            Some(home) => home.join(rest.trim_start_matches(['/', '\\'])),
            None => PathBuf::from(path),
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        f.debug_struct("Env").field("names", &names).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_and_tilde() {
        let env = Env::from_pairs([("HOME", "/home/u")]);
        assert_eq!(
            env.expand_home("~/.aws/config"),
            PathBuf::from("/home/u/.aws/config")
        );
        assert_eq!(env.expand_home("~"), PathBuf::from("/home/u/"));
        assert_eq!(env.expand_home("~other/x"), PathBuf::from("~other/x"));
        assert_eq!(env.expand_home("/etc/x"), PathBuf::from("/etc/x"));
        let windows = Env::from_pairs([("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\u")]);
        assert_eq!(windows.home(), Some(PathBuf::from("C:\\Users\\u")));
        assert_eq!(Env::default().home(), None);
        assert_eq!(Env::default().expand_home("~/x"), PathBuf::from("~/x"));
    }

    #[test]
    fn debug_shows_names_only() {
        let mut env = Env::from_pairs([("AWS_SECRET_ACCESS_KEY", "s3cr3t")]);
        env.set("AWS_REGION", "x");
        env.set("AWS_REGION", "");
        let shown = std::format!("{env:?}");
        assert!(shown.contains("AWS_SECRET_ACCESS_KEY") && !shown.contains("s3cr3t"));
        assert!(!shown.contains("AWS_REGION"));
    }
}
