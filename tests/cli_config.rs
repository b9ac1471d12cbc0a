//! The `presign` command line finds credentials, regions and endpoints as the AWS CLI
//! does, and never signs with keys the user did not choose.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

/// A home folder with `~/.aws/config` and `~/.aws/credentials` of these texts.
struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(config: &str, credentials: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sigv4-presign-cli-config-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(dir.join(".aws/config"), config).unwrap();
        std::fs::write(dir.join(".aws/credentials"), credentials).unwrap();
        Self { dir }
    }

    /// Runs `presign` with this home, a clean AWS environment, and `env`.
    fn presign(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_presign"));
        for (var, _) in std::env::vars() {
            if var.starts_with("AWS_") || var == "KUBERNETES_EXEC_INFO" {
                cmd.env_remove(var);
            }
        }
        cmd.env("HOME", &self.dir)
            .envs(env.iter().copied())
            .args(args)
            .output()
            .expect("run presign")
    }

    /// The URL printed, after checking the run succeeded.
    fn url(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.presign(args, env);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit status 2, nothing on stdout, one line on stderr that contains every one of `says`.
fn refused(out: &Output, says: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    for part in says {
        assert!(err.contains(part), "{part:?} not in {err}");
    }
}

const CONFIG: &str = "\
[default]
region = eu-central-1

[profile dev]
region = eu-west-1
services = local

[profile minio]
endpoint_url = http://127.0.0.1:9000
s3 =
  addressing_style = virtual

[services local]
s3 =
  endpoint_url = http://localhost:9000

[profile sso]
sso_session = corp
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret

[minio]
aws_access_key_id = AKIDMINIO
aws_secret_access_key = minio-secret
";

const T: &str = "20240501T120000Z";

#[test]
fn profiles_give_credentials_region_endpoint_and_addressing() {
    let home = Home::new(CONFIG, CREDENTIALS);
    // [default]: its keys and region; S3 on AWS, virtual-hosted.
    let url = home.url(&["s3://my-bucket/k", "--time", T], &[]);
    assert!(
        url.starts_with("https://my-bucket.s3.eu-central-1.amazonaws.com/k?"),
        "{url}"
    );
    assert!(url.contains("X-Amz-Credential=AKIDDEFAULT%2F20240501%2Feu-central-1%2Fs3"));
    // --profile and AWS_PROFILE; the [services] section's endpoint, path-style.
    for (args, env) in [
        (vec!["--profile", "dev", "s3://my-bucket/k"], vec![]),
        (vec!["s3://my-bucket/k"], vec![("AWS_PROFILE", "dev")]),
    ] {
        let mut args = args;
        args.extend(["--time", T]);
        let url = home.url(&args, &env);
        assert!(
            url.starts_with("http://localhost:9000/my-bucket/k?"),
            "{url}"
        );
        assert!(
            url.contains("X-Amz-Credential=AKIDDEV%2F20240501%2Feu-west-1%2Fs3"),
            "{url}"
        );
    }
    // The profile's endpoint_url and s3 addressing_style (virtual: an IP address cannot
    // carry a bucket name, so it says so).
    let url_virtual = home.presign(&["--profile", "minio", "s3://assets/k"], &[]);
    refused(&url_virtual, &["IP-address endpoint"]);
    // --endpoint-url and --addressing on the command line win.
    let url = home.url(
        &[
            "--profile",
            "minio",
            "--endpoint-url",
            "https://minio.example.com",
            "s3://assets/logo.svg",
            "--time",
            T,
        ],
        &[],
    );
    assert!(
        url.starts_with("https://assets.minio.example.com/logo.svg?"),
        "{url}"
    );
    let url = home.url(
        &[
            "--profile",
            "minio",
            "--endpoint",
            "https://minio.example.com",
            "--addressing",
            "path",
            "s3://assets/logo.svg",
        ],
        &[],
    );
    assert!(
        url.starts_with("https://minio.example.com/assets/logo.svg?"),
        "{url}"
    );
    // AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL before the profile; ignored on request.
    let env = [
        ("AWS_PROFILE", "dev"),
        ("AWS_ENDPOINT_URL", "https://all.example.com"),
        ("AWS_ENDPOINT_URL_S3", "https://s3.example.com"),
    ];
    assert!(
        home.url(&["s3://b1b/k"], &env)
            .starts_with("https://s3.example.com/b1b/k?")
    );
    assert!(
        home.url(&["s3://b1b/k"], &env[..2])
            .starts_with("https://all.example.com/b1b/k?")
    );
    let ignored = [
        ("AWS_PROFILE", "dev"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ];
    assert!(
        home.url(&["s3://b1b/k"], &ignored)
            .starts_with("https://b1b.s3.eu-west-1.amazonaws.com/k?")
    );
    // Region: --region, AWS_REGION, AWS_DEFAULT_REGION, then the profile's.
    let region = |args: &[&str], env: &[(&str, &str)]| {
        let url = home.url(args, env);
        url.split("%2F").nth(2).unwrap().to_owned()
    };
    assert_eq!(region(&["https://h/k"], &[]), "eu-central-1");
    assert_eq!(
        region(&["https://h/k"], &[("AWS_DEFAULT_REGION", "sa-east-1")]),
        "sa-east-1"
    );
    assert_eq!(
        region(
            &["https://h/k"],
            &[
                ("AWS_DEFAULT_REGION", "sa-east-1"),
                ("AWS_REGION", "me-south-1")
            ]
        ),
        "me-south-1"
    );
    assert_eq!(
        region(
            &["--region", "ap-south-1", "https://h/k"],
            &[("AWS_REGION", "me-south-1")]
        ),
        "ap-south-1"
    );
}

#[test]
fn never_signs_with_keys_the_user_did_not_choose() {
    let home = Home::new("", "");
    let no_credentials = [
        "presign: error: no credentials found: looked in AWS_ACCESS_KEY_ID",
        ".aws/config",
        ".aws/credentials",
        "--example-credentials",
    ];
    refused(&home.presign(&["s3://bucket/key"], &[]), &no_credentials);
    refused(
        &home.presign(&["verify", "https://h/k?X-Amz-Signature=0"], &[]),
        &no_credentials,
    );
    refused(
        &home.presign(&["--profile", "nope", "s3://bucket/key"], &[]),
        &["profile \"nope\" is not in"],
    );
    refused(
        &home.presign(&["s3://bucket/key"], &[("AWS_PROFILE", "nope")]),
        &["profile \"nope\" is not in"],
    );
    let sso = Home::new(CONFIG, "");
    refused(
        &sso.presign(&["--profile", "sso", "s3://bucket/key"], &[]),
        &[
            "sso_session",
            "credential_process = aws configure export-credentials --profile sso --format process",
        ],
    );
    let broken = Home::new("[profile dev]\nregion eu-west-1\n", "");
    refused(
        &broken.presign(&["s3://bucket/key"], &[]),
        &[".aws/config, line 2: expected an `=`"],
    );
    // --example-credentials is explicit, and says so.
    let out = home.presign(&["--example-credentials", "s3://bucket/key"], &[]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("example credentials"));
}

#[test]
fn urls_never_outlive_their_credentials() {
    let home = Home::new("", "");
    let env = [
        ("AWS_ACCESS_KEY_ID", "ASIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_SESSION_TOKEN", "token"),
        ("AWS_CREDENTIAL_EXPIRATION", "2024-05-01T12:50:00Z"),
    ];
    refused(
        &home.presign(
            &["s3://bucket/key", "--expires", "86400", "--time", T],
            &env,
        ),
        &["2024-05-02T12:00:00Z", "2024-05-01T12:50:00Z"],
    );
    let url = home.url(
        &[
            "s3://bucket/key",
            "--expires",
            "86400",
            "--time",
            T,
            "--clamp-to-credentials",
        ],
        &env,
    );
    assert!(url.contains("X-Amz-Expires=3000&"), "{url}");
    refused(
        &home.presign(
            &["post", "s3://bucket/key", "--expires", "86400", "--time", T],
            &env,
        ),
        &["2024-05-01T12:50:00Z"],
    );
    refused(
        &home.presign(&["s3://bucket/key", "--time", "20240501T130000Z"], &env),
        &["credentials expired at 2024-05-01T12:50:00Z"],
    );
}

#[test]
fn tokens_take_the_region_of_their_hostname() {
    let home = Home::new("[default]\nregion = us-east-1\n", "");
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDTOKEN"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
    ];
    let host = "db.abc123.eu-west-1.rds.amazonaws.com";
    let rds = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec![
            "token",
            "rds",
            "--hostname",
            host,
            "--port",
            "5432",
            "--username",
            "app",
            "--time",
            T,
        ];
        args.extend_from_slice(extra);
        home.presign(&args, env)
    };
    let out = rds(&[], &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("%2Feu-west-1%2Frds-db%2F"));
    refused(
        &rds(&["--region", "us-east-1"], &env),
        &["is in eu-west-1 but the region given is us-east-1"],
    );
    // The environment's region is a default: the hostname's comes first.
    let mut with_env_region = env.to_vec();
    with_env_region.push(("AWS_REGION", "us-west-2"));
    let out = rds(&[], &with_env_region);
    assert!(String::from_utf8_lossy(&out.stdout).contains("%2Feu-west-1%2Frds-db%2F"));
    assert!(rds(&["--region", "eu-west-1"], &env).status.success());
}

#[test]
fn eks_answers_in_the_version_kubectl_asks_for() {
    let home = Home::new("", "");
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDEKS"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
    ];
    let eks = |extra: &[&str], exec_info: Option<&str>| {
        let mut args = vec!["token", "eks", "--region", "eu-west-1", "--time", T];
        args.extend_from_slice(extra);
        let mut env = env.to_vec();
        if let Some(info) = exec_info {
            env.push(("KUBERNETES_EXEC_INFO", info));
        }
        home.presign(&args, &env)
    };
    let version = |out: &Output| {
        assert!(out.status.success(), "{}", stderr(out));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.split("\"apiVersion\": \"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    let v1 = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#;
    assert_eq!(
        version(&eks(&["--cluster-name", "prod"], Some(v1))),
        "client.authentication.k8s.io/v1"
    );
    assert_eq!(
        version(&eks(&["--cluster-name", "prod"], None)),
        "client.authentication.k8s.io/v1beta1"
    );
    let unknown = eks(
        &["--cluster-name", "prod"],
        Some("{\"apiVersion\": \"x/v9\"}"),
    );
    assert_eq!(version(&unknown), "client.authentication.k8s.io/v1beta1");
    assert!(stderr(&unknown).contains("KUBERNETES_EXEC_INFO"));
    assert!(
        eks(
            &["--cluster-id", "0123abcd-4567-89ef-0123-456789abcdef"],
            None
        )
        .status
        .success()
    );
    assert_eq!(
        eks(&["--cluster-name", "a", "--cluster-id", "b"], None)
            .status
            .code(),
        Some(2)
    );
    refused(
        &eks(
            &[
                "--cluster-name",
                "prod",
                "--role-arn",
                "arn:aws:iam::123456789012:role/x",
            ],
            None,
        ),
        &["--role-arn needs a call to STS"],
    );
}

#[test]
fn help_names_every_variable_a_flag_falls_back_to() {
    let home = Home::new("", "");
    let out = home.presign(&["--help"], &[]);
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    for name in [
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL_S3",
        "AWS_ENDPOINT_URL",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_CREDENTIAL_EXPIRATION",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "--endpoint-url",
        "--expires-in",
        "--addressing",
        "--example-credentials",
    ] {
        assert!(help.contains(name), "{name} not in --help");
    }
    let token_help = home.presign(&["token", "eks", "--help"], &[]);
    assert!(String::from_utf8_lossy(&token_help.stdout).contains("KUBERNETES_EXEC_INFO"));
}
