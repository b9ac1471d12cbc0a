//! Credentials, profiles, regions and endpoints found as AWS tools find them: the
//! environment, the shared config and credentials files, `credential_process`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sigv4_presign::credentials::{AwsConfig, ConfigError, CredentialsSource, Env};
use sigv4_presign::{Error, PresignRequest, Presigner};
use time::macros::datetime;

/// A fresh folder holding `config` and `credentials` files with these texts.
struct Files {
    dir: PathBuf,
}

impl Files {
    fn new(config: &str, credentials: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sigv4-presign-config-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config"), config).unwrap();
        std::fs::write(dir.join("credentials"), credentials).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// An environment pointing at these files, plus `vars`.
    fn env(&self, vars: &[(&str, &str)]) -> Env {
        let mut env = Env::from_pairs([
            ("AWS_CONFIG_FILE", self.path("config")),
            ("AWS_SHARED_CREDENTIALS_FILE", self.path("credentials")),
        ]);
        for (name, value) in vars {
            env.set(*name, *value);
        }
        env
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const CONFIG: &str = "\
# The developers' settings.
[default]
region = us-west-2

[profile dev]
region = eu-west-1 # Ireland
s3 =
  addressing_style = path
services = local-stores

[profile other]
endpoint_url = https://profile.example.com

[services local-stores]
s3 =
  endpoint_url = http://127.0.0.1:9000
sts =
  endpoint_url = http://127.0.0.1:9001

[profile role]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default

[profile sso]
sso_session = corp

[profile half]
aws_access_key_id = AKIDHALF
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret
aws_session_token = dev-token
region = ap-south-1
";

#[test]
fn the_default_profile_then_aws_profile() {
    let files = Files::new(CONFIG, CREDENTIALS);
    let aws = AwsConfig::load(files.env(&[])).unwrap();
    assert_eq!(aws.profile_name(), "default");
    assert_eq!(aws.region(), Some("us-west-2"));
    let (creds, source) = aws.credentials().unwrap();
    assert_eq!(creds.access_key_id(), "AKIDDEFAULT");
    assert_eq!(source, CredentialsSource::Profile("default".into()));

    let dev = AwsConfig::load(files.env(&[("AWS_PROFILE", "dev")])).unwrap();
    assert_eq!(dev.profile_name(), "dev");
    // The credentials file wins for a key both files set.
    assert_eq!(dev.region(), Some("ap-south-1"));
    assert_eq!(dev.s3_addressing_style().as_deref(), Some("path"));
    let (creds, _) = dev.credentials().unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.session_token()),
        ("AKIDDEV", Some("dev-token"))
    );
    // The environment's region comes first: AWS_REGION, then AWS_DEFAULT_REGION.
    let env = files.env(&[("AWS_PROFILE", "dev"), ("AWS_DEFAULT_REGION", "sa-east-1")]);
    assert_eq!(AwsConfig::load(env).unwrap().region(), Some("sa-east-1"));
    let env = files.env(&[
        ("AWS_REGION", "me-south-1"),
        ("AWS_DEFAULT_REGION", "sa-east-1"),
    ]);
    assert_eq!(AwsConfig::load(env).unwrap().region(), Some("me-south-1"));
}

#[test]
fn environment_credentials_come_first_unless_a_profile_is_chosen() {
    let files = Files::new(CONFIG, CREDENTIALS);
    let keys = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_PROFILE", "dev"),
    ];
    let (creds, source) = AwsConfig::load(files.env(&keys))
        .unwrap()
        .credentials()
        .unwrap();
    assert_eq!(
        (creds.access_key_id(), source),
        ("AKIDENV", CredentialsSource::Environment)
    );
    // --profile, as in the AWS CLI, names the credentials to use.
    let chosen = AwsConfig::load_profile(files.env(&keys), "dev").unwrap();
    assert_eq!(chosen.credentials().unwrap().0.access_key_id(), "AKIDDEV");
}

#[test]
fn missing_and_unusable_profiles_say_why() {
    let files = Files::new(CONFIG, CREDENTIALS);
    let missing = AwsConfig::load(files.env(&[("AWS_PROFILE", "nope")])).unwrap_err();
    assert!(matches!(&missing, ConfigError::ProfileNotFound { profile, .. } if profile == "nope"));
    assert!(missing.to_string().contains(&files.path("config")));
    assert!(AwsConfig::load_profile(files.env(&[]), "nope").is_err());

    for (profile, setting) in [("role", "role_arn"), ("sso", "sso_session")] {
        let error = AwsConfig::load_profile(files.env(&[]), profile)
            .unwrap()
            .credentials()
            .unwrap_err();
        assert_eq!(
            error,
            ConfigError::NeedsNetwork {
                profile: profile.into(),
                setting
            }
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!(
                "credential_process = aws configure export-credentials --profile {profile} --format process"
            )),
            "{message}"
        );
    }
    let half = AwsConfig::load_profile(files.env(&[]), "half")
        .unwrap()
        .credentials();
    assert!(matches!(
        half,
        Err(ConfigError::IncompleteProfile {
            set: "aws_access_key_id",
            ..
        })
    ));

    // No credentials anywhere: the error says where it looked.
    let empty = Files::new("[profile x]\nregion = eu-west-1\n", "");
    let error = AwsConfig::load(empty.env(&[]))
        .unwrap()
        .credentials()
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, ConfigError::NoCredentials { .. }));
    assert!(
        message.contains("AWS_ACCESS_KEY_ID")
            && message.contains(&empty.path("config"))
            && message.contains(&empty.path("credentials")),
        "{message}"
    );
    // Files that do not exist are empty, not errors.
    let nowhere = Env::from_pairs([
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
    ]);
    assert!(matches!(
        AwsConfig::load(nowhere).unwrap().credentials(),
        Err(ConfigError::NoCredentials { .. })
    ));
}

#[test]
fn malformed_files_name_the_file_and_line() {
    for (config, line, says) in [
        (
            "[profile a]\nregion = x\nnot a property\n",
            3,
            "expected an `=`",
        ),
        ("region = x\n", 1, "expected a section"),
        ("[profile a\n", 1, "must end with `]`"),
        ("[profile a]\n  continued\n", 2, "an indented line"),
        ("[profile a]\ns3 =\n  no-equals\n", 3, "sub-property"),
        (
            "[profile a]\nservices = missing\n",
            2,
            "[services …] section",
        ),
    ] {
        let files = Files::new(config, "");
        let error = AwsConfig::load_profile(files.env(&[]), "a").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with(&format!("{}, line {line}: ", files.path("config")))
                && message.contains(says),
            "{config:?}: {message}"
        );
    }
    let files = Files::new("", "[default]\naws_access_key_id\n");
    let message = AwsConfig::load(files.env(&[])).unwrap_err().to_string();
    assert!(
        message.starts_with(&format!("{}, line 2: ", files.path("credentials"))),
        "{message}"
    );
    // Not UTF-8.
    let files = Files::new("", "");
    std::fs::write(files.dir.join("config"), b"[default]\nregion = \xff\n").unwrap();
    assert!(matches!(
        AwsConfig::load(files.env(&[])),
        Err(ConfigError::ReadFile { .. })
    ));
}

#[test]
fn endpoints_in_the_documented_order() {
    let files = Files::new(CONFIG, CREDENTIALS);
    let endpoint = |vars: &[(&str, &str)], profile: &str| {
        AwsConfig::load_profile(files.env(vars), profile)
            .unwrap()
            .endpoint_url("S3")
    };
    // The profile's [services …] section, then its endpoint_url.
    assert_eq!(
        endpoint(&[], "dev").as_deref(),
        Some("http://127.0.0.1:9000")
    );
    assert_eq!(
        endpoint(&[], "other").as_deref(),
        Some("https://profile.example.com")
    );
    assert_eq!(endpoint(&[], "default"), None);
    // AWS_ENDPOINT_URL comes before both, AWS_ENDPOINT_URL_S3 before it.
    let global = [("AWS_ENDPOINT_URL", "https://global.example.com")];
    assert_eq!(
        endpoint(&global, "dev").as_deref(),
        Some("https://global.example.com")
    );
    let both = [
        ("AWS_ENDPOINT_URL", "https://global.example.com"),
        ("AWS_ENDPOINT_URL_S3", "https://s3.example.com"),
    ];
    assert_eq!(
        endpoint(&both, "dev").as_deref(),
        Some("https://s3.example.com")
    );
    // The service's own variable is for that service only.
    let sts_only = [("AWS_ENDPOINT_URL_STS", "https://sts.example.com")];
    assert_eq!(endpoint(&sts_only, "default"), None);
    let sts = AwsConfig::load_profile(files.env(&sts_only), "dev")
        .unwrap()
        .endpoint_url("STS");
    assert_eq!(sts.as_deref(), Some("https://sts.example.com"));
    let sts = AwsConfig::load_profile(files.env(&[]), "dev")
        .unwrap()
        .endpoint_url("STS");
    assert_eq!(sts.as_deref(), Some("http://127.0.0.1:9001"));
    // Ignored altogether on request, from the environment or the profile.
    let ignore = [
        ("AWS_ENDPOINT_URL_S3", "https://s3.example.com"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ];
    assert_eq!(endpoint(&ignore, "dev"), None);
    let files = Files::new(
        "[default]\nendpoint_url = http://x\nignore_configured_endpoint_urls = TRUE\n",
        "",
    );
    assert_eq!(
        AwsConfig::load(files.env(&[])).unwrap().endpoint_url("S3"),
        None
    );
}

#[test]
fn environment_credentials_with_an_expiry() {
    let files = Files::new("", "");
    let env = files.env(&[
        ("AWS_ACCESS_KEY_ID", "ASIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_SESSION_TOKEN", "token"),
        ("AWS_CREDENTIAL_EXPIRATION", "2024-05-01T12:50:00+00:00"),
    ]);
    let (creds, _) = AwsConfig::load(env).unwrap().credentials().unwrap();
    assert_eq!(creds.expiration(), Some(datetime!(2024-05-01 12:50 UTC)));
    let presigner = Presigner::new(creds, "us-east-1", "s3").unwrap();
    let day =
        PresignRequest::get("https://b.s3.amazonaws.com/k").expires_in(Duration::from_secs(86400));
    let refused = presigner
        .presign(&day, datetime!(2024-05-01 12:00 UTC))
        .unwrap_err();
    assert_eq!(
        refused,
        Error::OutlivesCredentials {
            url_expires_at: datetime!(2024-05-02 12:00 UTC),
            credentials_expire_at: datetime!(2024-05-01 12:50 UTC),
        }
    );
    let message = refused.to_string();
    assert!(message.contains("2024-05-02T12:00:00Z") && message.contains("2024-05-01T12:50:00Z"));
    for bad in [
        &[("AWS_ACCESS_KEY_ID", "A")][..],
        &[("AWS_SECRET_ACCESS_KEY", "s")],
        &[("AWS_SESSION_TOKEN", "t")],
        &[
            ("AWS_ACCESS_KEY_ID", "A"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_CREDENTIAL_EXPIRATION", "tomorrow"),
        ],
        &[("AWS_ACCESS_KEY_ID", "A B"), ("AWS_SECRET_ACCESS_KEY", "s")],
    ] {
        let error = AwsConfig::load(files.env(bad))
            .unwrap()
            .credentials()
            .unwrap_err();
        assert!(!error.to_string().contains(" s "), "{error}");
    }
}

#[cfg(unix)]
#[test]
fn credential_process_profiles() {
    let files = Files::new("", "");
    let script = |name: &str, body: &str| -> String {
        let path = files.dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.display().to_string()
    };
    let good = script(
        "good creds",
        r#"printf '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "%s", "Expiration": "2024-05-01T13:00:00Z"}' "$1""#,
    );
    let fails = script(
        "fails",
        "echo 'profile expired, run aws sso login' >&2; exit 1",
    );
    let hangs = script("hangs", "sleep 30");
    let bad = script("bad", "echo '{\"Version\": 2}'");
    std::fs::write(
        files.dir.join("config"),
        format!(
            "[profile good]\ncredential_process = \"{good}\" token-from-arg\n\
             [profile fails]\ncredential_process = {fails}\n\
             [profile hangs]\ncredential_process = {hangs}\n\
             [profile bad]\ncredential_process = {bad}\n"
        ),
    )
    .unwrap();
    let load = |profile: &str| {
        AwsConfig::load_profile(files.env(&[]), profile)
            .unwrap()
            .with_process_timeout(Duration::from_millis(500))
    };
    let (creds, source) = load("good").credentials().unwrap();
    assert_eq!(source, CredentialsSource::Process("good".into()));
    assert_eq!(
        (
            creds.access_key_id(),
            creds.session_token(),
            creds.expiration()
        ),
        (
            "ASIAPROC",
            Some("token-from-arg"),
            Some(datetime!(2024-05-01 13:00 UTC))
        )
    );
    let failed = load("fails").credentials().unwrap_err().to_string();
    assert!(
        failed.contains("status 1") && failed.contains("run aws sso login"),
        "{failed}"
    );
    let started = std::time::Instant::now();
    let hung = load("hangs").credentials().unwrap_err().to_string();
    assert!(hung.contains("did not finish within 0.5 s"), "{hung}");
    assert!(started.elapsed() < Duration::from_secs(10));
    let bad = load("bad").credentials().unwrap_err().to_string();
    assert!(bad.contains("Version other than 1"), "{bad}");
    for message in [failed, hung, bad] {
        assert!(
            message.contains("credential_process of the profile"),
            "{message}"
        );
        assert!(!Path::new(&message).exists());
    }
}
