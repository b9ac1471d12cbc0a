//! Differential test against the AWS CLI (`awscli` 1.45.11 from PyPI, installed by the
//! test under `target/`; `$AWS_CLI_PYTHONPATH` names another install): with the same home
//! folder, config and credentials files, profile and endpoint variables, `aws s3 presign`
//! and `presign` address the same object with the same key, region and expiry, and each
//! signature verifies; on the same endpoint the URLs are the same. RDS and EKS tokens are
//! the same byte for byte at the same second.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use sigv4_presign::Credentials;
use sigv4_presign::verify::{ReceivedRequest, Verifier};

const AWS_CLI: &str = "awscli==1.45.11";

/// Where the AWS CLI's Python packages are, installed on first use.
fn aws_cli_path() -> PathBuf {
    if let Some(path) = std::env::var_os("AWS_CLI_PYTHONPATH") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let install = target.join("awscli-1.45.11");
    if !install.join("awscli").join("__main__.py").exists() {
        let status = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
            ])
            .arg(&install)
            .arg(AWS_CLI)
            .status()
            .expect("python3 -m pip, to install the AWS CLI for the differential test");
        assert!(status.success(), "pip could not install {AWS_CLI}");
    }
    install
}

/// A home folder with `~/.aws/config` and `~/.aws/credentials`.
struct Home(PathBuf);

impl Home {
    fn new(name: &str, config: &str, credentials: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "sigv4-presign-awscli-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(dir.join(".aws/config"), config).unwrap();
        std::fs::write(dir.join(".aws/credentials"), credentials).unwrap();
        Self(dir)
    }

    fn command(&self, program: &str, env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(program);
        for (var, _) in std::env::vars() {
            if var.starts_with("AWS_") || var == "KUBERNETES_EXEC_INFO" {
                cmd.env_remove(var);
            }
        }
        cmd.env("HOME", &self.0).envs(env.iter().copied());
        cmd
    }

    /// What `aws ARGS` prints.
    fn aws(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self
            .command("python3", env)
            .env("PYTHONPATH", aws_cli_path())
            .args(["-m", "awscli"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "aws {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// What `presign ARGS` prints.
    fn presign(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self
            .command(env!("CARGO_BIN_EXE_presign"), env)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "presign {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `(origin, path, query parameters)` of a URL.
fn parts(url: &str) -> (String, String, BTreeMap<String, String>) {
    let (before, query) = url.split_once('?').unwrap();
    let (scheme, rest) = before.split_once("://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let params = query
        .split('&')
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap();
            (n.to_owned(), v.to_owned())
        })
        .collect();
    (format!("{scheme}://{host}"), path.to_owned(), params)
}

/// Verifies `url` (a GET) with the crate's verifier, for `credentials` in `region`.
fn verifies(url: &str, credentials: &Credentials, region: &str) {
    let (origin, path, params) = parts(url);
    let host = origin.split_once("://").unwrap().1;
    let target = format!("{path}?{}", url.split_once('?').unwrap().1);
    let creds = credentials.clone();
    let verifier = Verifier::new(move |_: &str| Some(creds.clone()), region, "s3").unwrap();
    let headers = [("host", host)];
    let mut request = ReceivedRequest::new("GET", &target, &headers);
    if origin.starts_with("http://") {
        request = request.over_http();
    }
    let date = &params["X-Amz-Date"];
    let now = sigv4_presign::sigv4::parse_timestamp(date).unwrap();
    verifier
        .verify(&request, now)
        .unwrap_or_else(|e| panic!("{url} does not verify: {e}"));
}

const CONFIG: &str = "\
[default]
region = eu-west-1
s3 =
  signature_version = s3v4

[profile dev]
region = ap-southeast-2
services = local
s3 =
  signature_version = s3v4

[services local]
s3 =
  endpoint_url = http://127.0.0.1:9000
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDIFFDEFAULT
aws_secret_access_key = diff/default+secret
aws_session_token = session/token+one=

[dev]
aws_access_key_id = AKIDDIFFDEV
aws_secret_access_key = diff-dev-secret
";

#[test]
fn s3_presign_matches_the_aws_cli() {
    let home = Home::new("s3", CONFIG, CREDENTIALS);
    let default = Credentials::new("AKIDDIFFDEFAULT", "diff/default+secret")
        .unwrap()
        .with_session_token("session/token+one=")
        .unwrap();
    let dev = Credentials::new("AKIDDIFFDEV", "diff-dev-secret").unwrap();
    let object = "s3://my-bucket/reports/Q3 2024 (final).pdf";
    for (args, env, credentials, region, same_host) in [
        // The default profile, on AWS: the AWS CLI's global host, this crate's regional
        // one; the same object, key, region and expiry.
        (vec![], vec![], &default, "eu-west-1", false),
        // A profile and its [services] endpoint, by flag and by variable.
        (
            vec!["--profile", "dev"],
            vec![],
            &dev,
            "ap-southeast-2",
            true,
        ),
        (
            vec![],
            vec![("AWS_PROFILE", "dev")],
            &dev,
            "ap-southeast-2",
            true,
        ),
        // Endpoint variables come before the profile's.
        (
            vec![],
            vec![
                ("AWS_PROFILE", "dev"),
                ("AWS_ENDPOINT_URL_S3", "http://localhost:9100"),
            ],
            &dev,
            "ap-southeast-2",
            true,
        ),
        (
            vec![],
            vec![("AWS_ENDPOINT_URL", "https://s3.example.com")],
            &default,
            "eu-west-1",
            true,
        ),
        // The environment's region, as the AWS CLI v1 reads it.
        (
            vec![],
            vec![("AWS_DEFAULT_REGION", "us-east-2")],
            &default,
            "us-east-2",
            false,
        ),
    ] {
        let mut aws_args = args.clone();
        aws_args.extend(["s3", "presign", object, "--expires-in", "900"]);
        let theirs = home.aws(&aws_args, &env);
        let (their_origin, their_path, their_params) = parts(&theirs);
        let mut our_args = args.clone();
        our_args.extend([
            object,
            "--expires-in",
            "900",
            "--time",
            their_params["X-Amz-Date"].as_str(),
        ]);
        let ours = home.presign(&our_args, &env);
        let (our_origin, our_path, our_params) = parts(&ours);
        let context = format!("{args:?} {env:?}:\n  aws:     {theirs}\n  presign: {ours}");
        for name in [
            "X-Amz-Credential",
            "X-Amz-Date",
            "X-Amz-Expires",
            "X-Amz-SignedHeaders",
            "X-Amz-Security-Token",
        ] {
            assert_eq!(
                their_params.get(name),
                our_params.get(name),
                "{name} {context}"
            );
        }
        assert!(
            their_params["X-Amz-Credential"].contains(&format!("%2F{region}%2Fs3%2F")),
            "{context}"
        );
        if same_host {
            assert_eq!(
                (&their_origin, &their_path),
                (&our_origin, &our_path),
                "{context}"
            );
            assert_eq!(their_params, our_params, "the same URL: {context}");
        } else {
            // `bucket.s3.amazonaws.com/KEY` and `bucket.s3.REGION.amazonaws.com/KEY`.
            assert_eq!(
                their_origin, "https://my-bucket.s3.amazonaws.com",
                "{context}"
            );
            assert_eq!(
                our_origin,
                format!("https://my-bucket.s3.{region}.amazonaws.com"),
                "{context}"
            );
            assert_eq!(their_path, our_path, "{context}");
        }
        verifies(&theirs, credentials, region);
        verifies(&ours, credentials, region);
    }
}

#[test]
fn rds_and_eks_tokens_match_the_aws_cli() {
    let home = Home::new("tokens", CONFIG, CREDENTIALS);
    for profile in ["default", "dev"] {
        let host = "mydb.c1abc2def3gh.eu-west-1.rds.amazonaws.com";
        let theirs = home.aws(
            &[
                "--profile",
                profile,
                "rds",
                "generate-db-auth-token",
                "--hostname",
                host,
                "--port",
                "5432",
                "--username",
                "app_user",
                "--region",
                "eu-west-1",
            ],
            &[],
        );
        let date = theirs.split("X-Amz-Date=").nth(1).unwrap()[..16].to_owned();
        let ours = home.presign(
            &[
                "--profile",
                profile,
                "token",
                "rds",
                "--hostname",
                host,
                "--port",
                "5432",
                "--username",
                "app_user",
                "--time",
                &date,
            ],
            &[],
        );
        assert_eq!(ours, theirs, "rds, profile {profile}");

        let exec = home.aws(
            &[
                "--profile",
                profile,
                "eks",
                "get-token",
                "--cluster-name",
                "prod-cluster",
                "--region",
                "eu-west-1",
            ],
            &[],
        );
        let token = exec
            .split("\"token\": \"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let url = String::from_utf8(common::base64_decode(&token["k8s-aws-v1.".len()..])).unwrap();
        let date = url.split("X-Amz-Date=").nth(1).unwrap()[..16].to_owned();
        let ours = home.presign(
            &[
                "--profile",
                profile,
                "--region",
                "eu-west-1",
                "token",
                "eks",
                "--cluster-name",
                "prod-cluster",
                "--time",
                &date,
            ],
            &[],
        );
        let our_token = ours
            .split("\"token\": \"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(our_token, token, "eks, profile {profile}: {url}");
    }
}
