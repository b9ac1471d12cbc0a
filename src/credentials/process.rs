//! `credential_process`: a program that prints credentials as JSON, run without a shell
//! and waited for no longer than a bound.

use std::io::Read;
use std::process::{Command, Stdio};
use std::string::{String, ToString};
use std::time::{Duration, Instant};
use std::vec::Vec;

use crate::credentials::error::ConfigError;
use crate::json::{self, Value};
use crate::rfc3339::Rfc3339;
use crate::sigv4::Credentials;

/// How long a `credential_process` may run before it is stopped.
pub const CREDENTIAL_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// The most a `credential_process` may print on stdout or stderr.
const MAX_OUTPUT: u64 = 1 << 20;

/// Splits a command line into words as a POSIX shell would, without running one: words
/// are separated by blanks; `'…'` keeps its text as it is; `"…"` keeps its text but for
/// `\` before `"`, `\`, `$` and `` ` ``; outside quotes `\` keeps the next character.
/// Nothing is expanded (no variables, globs or pipes).
pub(crate) fn split_command_line(line: &str) -> Result<Vec<String>, &'static str> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a single quote is not closed"),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("a double quote is not closed"),
                        },
                        Some(c) => word.push(c),
                        None => return Err("a double quote is not closed"),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => word.push(c),
                    None => return Err("the command line ends with a backslash"),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.is_empty() {
        return Err("the command line is empty");
    }
    Ok(words)
}

/// Runs `command_line` for `profile` and reads the credentials it prints.
///
/// Errors: [`ConfigError::Process`] when it cannot start, fails (its stderr is part of
/// the message), runs longer than `timeout`, or prints something other than version 1 of
/// the documented JSON.
pub fn run_credential_process(
    profile: &str,
    command_line: &str,
    timeout: Duration,
) -> Result<Credentials, ConfigError> {
    let words = split_command_line(command_line).map_err(|reason| ConfigError::Process {
        profile: profile.into(),
        program: String::new(),
        reason: reason.into(),
    })?;
    let program = words[0].clone();
    let failed = |reason: String| ConfigError::Process {
        profile: profile.into(),
        program: program.clone(),
        reason,
    };
    let mut child = Command::new(&words[0])
        .args(&words[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(std::format!("it could not be started: {e}")))?;
    let stdout = child.stdout.take().map(read_in_background);
    let stderr = child.stderr.take().map(read_in_background);
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(std::format!(
                    "it did not finish within {} s and was stopped",
                    timeout.as_secs_f32()
                )));
            }
            Err(e) => return Err(failed(std::format!("waiting for it failed: {e}"))),
        }
    };
    let collect = |reader: Option<std::thread::JoinHandle<Vec<u8>>>| {
        reader
            .and_then(|r| r.join().ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    };
    let (stdout, stderr) = (collect(stdout), collect(stderr));
    if !status.success() {
        let code = status
            .code()
            .map_or_else(|| "a signal".to_string(), |c| std::format!("status {c}"));
        let stderr = stderr.trim();
        let said = if stderr.is_empty() {
            String::new()
        } else {
            std::format!("; it said: {}", one_line(stderr))
        };
        return Err(failed(std::format!("it exited with {code}{said}")));
    }
    parse_output(&stdout).map_err(|reason| failed(reason.into()))
}

/// Reads a pipe to its end (at most [`MAX_OUTPUT`] bytes) on a thread of its own, so that
/// a chatty process never blocks on a full pipe.
fn read_in_background(pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut limited = pipe.take(MAX_OUTPUT);
        let _ = limited.read_to_end(&mut bytes);
        // Drain the rest so the process can finish.
        let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
        bytes
    })
}

/// `text` on one line, at most 300 characters.
fn one_line(text: &str) -> String {
    let joined: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut shown: String = joined.chars().take(300).collect();
    if joined.chars().count() > 300 {
        shown.push('…');
    }
    shown
}

/// The credentials in a `credential_process`'s output: `{"Version": 1, "AccessKeyId":
/// …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`.
pub(crate) fn parse_output(stdout: &str) -> Result<Credentials, &'static str> {
    let members = json::parse_object(stdout.trim())?;
    let text = |name: &'static str| -> Result<Option<&str>, &'static str> {
        match members.get(name) {
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            None => Ok(None),
            Some(_) => Err(name),
        }
    };
    match members.get("Version") {
        Some(Value::Number(n)) if n == "1" => {}
        Some(_) => return Err("its JSON has a Version other than 1"),
        None => return Err("its JSON has no Version (it must be 1)"),
    }
    let key = text("AccessKeyId")
        .map_err(|_| "AccessKeyId is not a string")?
        .ok_or("its JSON has no AccessKeyId")?;
    let secret = text("SecretAccessKey")
        .map_err(|_| "SecretAccessKey is not a string")?
        .ok_or("its JSON has no SecretAccessKey")?;
    let mut credentials = Credentials::new(key, secret)
        .map_err(|_| "its AccessKeyId or SecretAccessKey is malformed")?;
    if let Some(token) = text("SessionToken").map_err(|_| "SessionToken is not a string")? {
        credentials = credentials
            .with_session_token(token)
            .map_err(|_| "its SessionToken is malformed")?;
    }
    if let Some(expiration) = text("Expiration").map_err(|_| "Expiration is not a string")? {
        let at = Rfc3339::parse(expiration)
            .ok_or("its Expiration is not an RFC 3339 time such as 2024-05-01T12:00:00Z")?;
        credentials = credentials.with_expiration(at);
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn splits_like_a_posix_shell() {
        let cases: &[(&str, &[&str])] = &[
            (
                "aws configure export-credentials --profile p --format process",
                &[
                    "aws",
                    "configure",
                    "export-credentials",
                    "--profile",
                    "p",
                    "--format",
                    "process",
                ],
            ),
            ("  a   b\tc  ", &["a", "b", "c"]),
            (
                "'/opt/my tool/get creds' --x",
                &["/opt/my tool/get creds", "--x"],
            ),
            (r#""a \"b\" \$c \n" d"#, &[r#"a "b" $c \n"#, "d"]),
            (r"a\ b c\\d", &["a b", r"c\d"]),
            (r#"x''y ""z"#, &["xy", "z"]),
            ("'$HOME' `cmd` *", &["$HOME", "`cmd`", "*"]),
        ];
        for (line, words) in cases {
            assert_eq!(split_command_line(line).unwrap(), *words, "{line}");
        }
        for bad in ["", "   ", "'open", "\"open", "trailing\\"] {
            assert!(split_command_line(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reads_version_1_output() {
        let creds = parse_output(
            r#"{"Version": 1, "AccessKeyId": "ASIAX", "SecretAccessKey": "s", "SessionToken": "t",
               "Expiration": "2024-05-01T12:00:00.000Z"}"#,
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "ASIAX");
        assert_eq!(creds.session_token(), Some("t"));
        assert_eq!(creds.expiration(), Some(datetime!(2024-05-01 12:00 UTC)));
        let long_term =
            parse_output(r#"{"Version":1,"AccessKeyId":"AKIAX","SecretAccessKey":"s"}"#).unwrap();
        assert_eq!(
            (long_term.session_token(), long_term.expiration()),
            (None, None)
        );
        for (bad, says) in [
            ("", "not a JSON object"),
            (r#"{"AccessKeyId":"a","SecretAccessKey":"s"}"#, "no Version"),
            (
                r#"{"Version":2,"AccessKeyId":"a","SecretAccessKey":"s"}"#,
                "other than 1",
            ),
            (
                r#"{"Version":"1","AccessKeyId":"a","SecretAccessKey":"s"}"#,
                "other than 1",
            ),
            (r#"{"Version":1,"SecretAccessKey":"s"}"#, "no AccessKeyId"),
            (r#"{"Version":1,"AccessKeyId":"a"}"#, "no SecretAccessKey"),
            (
                r#"{"Version":1,"AccessKeyId":1,"SecretAccessKey":"s"}"#,
                "not a string",
            ),
            (
                r#"{"Version":1,"AccessKeyId":"a","SecretAccessKey":"s","Expiration":"soon"}"#,
                "RFC 3339",
            ),
            (
                r#"{"Version":1,"AccessKeyId":"a b","SecretAccessKey":"s"}"#,
                "malformed",
            ),
            (
                r#"{"Version":1,"AccessKeyId":"a","SecretAccessKey":"s","SessionToken":""}"#,
                "SessionToken",
            ),
        ] {
            let error = parse_output(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn runs_without_a_shell_and_bounds_the_wait() {
        let sh = |script: &str| std::format!("sh -c '{script}'");
        let ok = run_credential_process(
            "p",
            &sh(r#"printf "{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"s\"}""#),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(ok.access_key_id(), "AKID");

        let failed = run_credential_process(
            "p",
            &sh("echo token expired >&2; exit 3"),
            Duration::from_secs(10),
        )
        .unwrap_err()
        .to_string();
        assert!(
            failed.contains("status 3") && failed.contains("token expired"),
            "{failed}"
        );
        assert!(failed.contains("\"p\""), "names the profile: {failed}");

        let started = Instant::now();
        let hung = run_credential_process("p", &sh("sleep 30"), Duration::from_millis(300))
            .unwrap_err()
            .to_string();
        assert!(hung.contains("did not finish"), "{hung}");
        assert!(started.elapsed() < Duration::from_secs(10));

        let garbage = run_credential_process("p", &sh("echo not json"), Duration::from_secs(10))
            .unwrap_err()
            .to_string();
        assert!(garbage.contains("not a JSON object"), "{garbage}");

        let missing = run_credential_process(
            "p",
            "/nonexistent/credential-helper",
            Duration::from_secs(10),
        )
        .unwrap_err()
        .to_string();
        assert!(missing.contains("could not be started"), "{missing}");

        // No shell: `;` and `$(…)` are plain arguments to the program.
        let echoed = run_credential_process("p", "echo ; $(touch /tmp/x)", Duration::from_secs(10))
            .unwrap_err()
            .to_string();
        assert!(echoed.contains("not a JSON object"), "{echoed}");
    }
}
