//! The `presign` command line: stdout is the URL alone, everything else goes to stderr, and
//! bad input exits with status 2.

use std::process::{Command, Output};

const S3_DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

/// An empty home folder: no ~/.aws of the machine's leaks into a test.
fn empty_home() -> std::path::PathBuf {
    let home = std::env::temp_dir().join(format!("sigv4-presign-cli-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    home
}

/// Runs `presign` with a clean AWS environment (and an empty home folder) plus `env`.
fn presign(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_presign"));
    for (var, _) in std::env::vars() {
        if var.starts_with("AWS_") || var == "KUBERNETES_EXEC_INFO" {
            cmd.env_remove(var);
        }
    }
    cmd.env("HOME", empty_home())
        .envs(env.iter().copied())
        .args(args)
        .output()
        .expect("run presign")
}

/// Runs `presign` with AWS's example credentials, chosen explicitly.
fn example(args: &[&str]) -> Output {
    let mut all = vec!["--example-credentials"];
    all.extend_from_slice(args);
    presign(&all, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn prints_the_s3_documentation_url_with_the_example_credentials() {
    let out = example(&[
        "https://examplebucket.s3.amazonaws.com/test.txt",
        "--expires",
        "86400",
        "--time",
        "20130524T000000Z",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{S3_DOC_URL}\n"));
    assert!(
        stderr(&out).contains("example credentials"),
        "says so on stderr"
    );
    // The extended time form, and --expires-in, give the same URL.
    let out = example(&[
        "--time",
        "2013-05-24T00:00:00Z",
        "--expires-in",
        "86400",
        "https://examplebucket.s3.amazonaws.com/test.txt",
    ]);
    assert_eq!(stdout(&out), format!("{S3_DOC_URL}\n"));
}

#[test]
fn no_credentials_is_an_error_never_the_example_keys() {
    for args in [
        vec!["https://examplebucket.s3.amazonaws.com/test.txt"],
        vec!["s3://bucket/key"],
        vec![
            "verify",
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Signature=x",
        ],
        vec!["post", "s3://bucket/key"],
        vec!["token", "msk"],
    ] {
        let out = presign(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stdout(&out).is_empty(), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("presign: error: no credentials found: looked in AWS_ACCESS_KEY_ID")
                && err.contains(".aws/credentials")
                && err.contains("--example-credentials"),
            "{err}"
        );
    }
}

#[test]
fn credentials_and_region_come_from_the_environment() {
    let out = presign(
        &[
            "https://b.s3.eu-west-1.amazonaws.com/k",
            "--time",
            "20240501T000000Z",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
            ("AWS_SECRET_ACCESS_KEY", "secretfromenv"),
            ("AWS_SESSION_TOKEN", "tok+en"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let url = stdout(&out);
    assert!(
        url.contains("X-Amz-Credential=AKIDFROMENV%2F20240501%2Feu-west-1%2Fs3%2Faws4_request")
    );
    assert!(url.contains("X-Amz-Security-Token=tok%2Ben"));
    assert!(!stderr(&out).contains("example credentials"));
    assert!(!stderr(&out).contains("secretfromenv"));
    // --region wins over the environment, AWS_REGION over AWS_DEFAULT_REGION.
    let out = presign(
        &[
            "https://h/k",
            "--region",
            "ap-south-1",
            "--example-credentials",
        ],
        &[
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
        ],
    );
    assert!(stdout(&out).contains("%2Fap-south-1%2F"));
    let out = presign(
        &["https://h/k", "--example-credentials"],
        &[
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
        ],
    );
    assert!(stdout(&out).contains("%2Fus-west-2%2F"));
}

#[test]
fn headers_params_and_method() {
    let out = example(&[
        "-X",
        "PUT",
        "-H",
        "Content-Type: image/png",
        "--param",
        "response-content-disposition=attachment; filename=\"a b.pdf\"",
        "--time",
        "20240501T123456Z",
        "https://h/x",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = stdout(&out);
    assert!(url.starts_with("https://h/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
    assert!(
        url.contains("&response-content-disposition=attachment%3B%20filename%3D%22a%20b.pdf%22")
    );
    assert!(url.contains("X-Amz-SignedHeaders=content-type%3Bhost"));
    assert!(
        stderr(&out).contains("content-type: image/png"),
        "headers to send go to stderr"
    );
    assert_eq!(url.lines().count(), 1, "stdout is the URL alone");
}

#[test]
fn generic_service_uses_generic_rules() {
    let out = example(&[
        "--service",
        "sts",
        "--time",
        "20240501T000000Z",
        "--explain",
        "https://sts.amazonaws.com/a%3Ab/../c?Action=GetCallerIdentity&Version=2011-06-15",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let creq = err.split("--- canonical request\n").nth(1).unwrap();
    assert!(creq.starts_with("GET\n/c\n"), "normalised: {creq}");
    assert!(creq.contains("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"));
    assert!(err.contains("--- string to sign\nAWS4-HMAC-SHA256\n20240501T000000Z\n20240501/us-east-1/sts/aws4_request\n"));
}

#[test]
fn bad_input_is_one_line_on_stderr_and_status_2() {
    for args in [
        vec!["https://h/k", "--expires", "0"],
        vec!["https://h/k", "--expires", "604801"],
        vec!["ftp://h/k"],
        vec!["https://h/k#x"],
        vec!["https://h/k", "-H", "no colon"],
        vec!["https://h/k", "-H", "Bad Name: v"],
        vec!["https://h/k", "--time", "yesterday"],
        vec!["https://h/k", "--time", "20131324T000000Z"],
        vec!["https://h/k", "--time", "ééééééééééééééééé"],
        vec!["https://h/k", "--region", "us/east"],
        vec!["https://h/k?X-Amz-Signature=x"],
        vec!["https://h/k", "--param", "no-equals"],
    ] {
        let out = example(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stdout(&out).is_empty(), "{args:?}");
        let errors: Vec<String> = stderr(&out)
            .lines()
            .filter(|l| l.starts_with("presign: error:"))
            .map(str::to_owned)
            .collect();
        assert_eq!(errors.len(), 1, "{args:?}: {}", stderr(&out));
    }
    let out = presign(&["https://h/k"], &[("AWS_ACCESS_KEY_ID", "AKID")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("AWS_SECRET_ACCESS_KEY"));
    // Usage errors (clap's) also exit with 2.
    assert_eq!(example(&[]).status.code(), Some(2));
    assert_eq!(
        example(&["https://h/k", "--expires", "soon"]).status.code(),
        Some(2)
    );
}

mod common;

/// `s3://` targets against a real server: the README's download and upload commands work.
#[test]
fn s3_targets_against_a_real_server() {
    let server = common::S3Server::start(None, &["cli-bucket"]);
    let env = [
        ("AWS_ACCESS_KEY_ID", common::ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", common::SECRET_KEY),
    ];
    let endpoint = server.ip_endpoint();
    let target = "s3://cli-bucket/reports/Q3 2024.pdf";

    let out = presign(
        &[
            "-X",
            "PUT",
            "-H",
            "Content-Type: application/pdf",
            "--endpoint",
            &endpoint,
            target,
        ],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let url = stdout(&out).trim().to_owned();
    assert!(
        url.starts_with(&format!("{endpoint}/cli-bucket/reports/Q3%202024.pdf?")),
        "{url}"
    );
    let content_type = [("Content-Type".to_owned(), "application/pdf".to_owned())];
    let r = common::send("PUT", &url, &content_type, b"%PDF-1.7");
    assert_eq!(r.status, 200, "{}", r.text());

    let out = presign(
        &[
            "--param",
            r#"response-content-disposition=attachment; filename="a b.pdf""#,
            "--endpoint",
            &server.localhost_endpoint(),
            "--path-style",
            target,
        ],
        &env,
    );
    let url = stdout(&out).trim().to_owned();
    let r = common::send("GET", &url, &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.body, b"%PDF-1.7");
    assert_eq!(
        r.header("content-disposition"),
        Some(r#"attachment; filename="a b.pdf""#)
    );

    // A listing of the bucket.
    let out = presign(
        &[
            "--param",
            "list-type=2",
            "--endpoint",
            &endpoint,
            "s3://cli-bucket",
        ],
        &env,
    );
    let r = common::send("GET", stdout(&out).trim(), &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("<Key>reports/Q3 2024.pdf</Key>"));

    // --endpoint goes with s3:// targets only; a bad bucket name is one line and status 2.
    assert_eq!(
        presign(&["--endpoint", &endpoint, "https://h/k"], &env)
            .status
            .code(),
        Some(2)
    );
    // A legacy bucket name (upper case, `_`) works path-style, never virtual-hosted.
    let legacy = presign(
        &["--time", "20240501T000000Z", "s3://Legacy_Bucket/k"],
        &env,
    );
    assert!(legacy.status.success(), "{}", stderr(&legacy));
    assert!(stdout(&legacy).starts_with("https://s3.us-east-1.amazonaws.com/Legacy_Bucket/k?"));
    let virtual_legacy = presign(&["--addressing", "virtual", "s3://Legacy_Bucket/k"], &env);
    assert_eq!(virtual_legacy.status.code(), Some(2));
}

#[test]
fn verify_subcommand() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDVERIFY"),
        ("AWS_SECRET_ACCESS_KEY", "verify-secret"),
    ];
    let out = presign(
        &[
            "-X",
            "PUT",
            "-H",
            "Content-Type: text/plain",
            "--time",
            "20240501T120000Z",
            "https://h.example/k",
        ],
        &env,
    );
    let url = stdout(&out).trim().to_owned();

    let ok = presign(
        &[
            "verify",
            "-X",
            "PUT",
            "-H",
            "Content-Type: text/plain",
            "--time",
            "20240501T120500Z",
            &url,
        ],
        &env,
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(
        stdout(&ok),
        "valid: signed by AKIDVERIFY for 20240501/us-east-1/s3/aws4_request, headers content-type;host, expires 2024-05-01T13:00:00Z (in 3300 s)\n"
    );

    let expired = presign(
        &[
            "verify",
            "-X",
            "PUT",
            "-H",
            "Content-Type: text/plain",
            "--time",
            "20240501T130001Z",
            &url,
        ],
        &env,
    );
    assert_eq!(expired.status.code(), Some(1));
    assert!(
        stderr(&expired).contains("expired at 2024-05-01T13:00:00Z"),
        "{}",
        stderr(&expired)
    );

    let wrong_key = presign(
        &[
            "verify",
            "-X",
            "PUT",
            "-H",
            "Content-Type: text/plain",
            "--time",
            "20240501T120500Z",
            &url,
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDOTHER"),
            ("AWS_SECRET_ACCESS_KEY", "verify-secret"),
        ],
    );
    assert_eq!(wrong_key.status.code(), Some(1));
    assert!(stderr(&wrong_key).contains("unknown access key id"));

    let mismatch = presign(
        &[
            "verify",
            "-X",
            "PUT",
            "-H",
            "Content-Type: text/html",
            "--time",
            "20240501T120500Z",
            "--explain",
            &url,
        ],
        &env,
    );
    assert_eq!(mismatch.status.code(), Some(1));
    let err = stderr(&mismatch);
    assert!(err.contains("signature mismatch"), "{err}");
    assert!(
        err.contains("--- canonical request")
            && err.contains("\ncontent-type:text/html\nhost:h.example\n"),
        "{err}"
    );

    assert_eq!(
        presign(&["verify", "--time", "never", &url], &env)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn token_subcommands() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDTOKEN"),
        ("AWS_SECRET_ACCESS_KEY", "token-secret"),
    ];
    let run = |args: &[&str]| {
        let out = presign(args, &env);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out).trim().to_owned()
    };
    let t = "20240501T120000Z";
    let rds = run(&[
        "token",
        "rds",
        "--hostname",
        "db.example.com",
        "--port",
        "5432",
        "--username",
        "app",
        "--region",
        "eu-west-1",
        "--time",
        t,
    ]);
    assert!(
        rds.starts_with("db.example.com:5432/?Action=connect&DBUser=app&X-Amz-Algorithm="),
        "{rds}"
    );
    assert!(rds.contains("%2Feu-west-1%2Frds-db%2F"));
    let dsql = run(&[
        "token",
        "dsql",
        "--hostname",
        "c.dsql.us-east-1.on.aws",
        "--expires-in",
        "60",
        "--admin",
        "--time",
        t,
    ]);
    assert!(
        dsql.starts_with("c.dsql.us-east-1.on.aws/?Action=DbConnectAdmin&")
            && dsql.contains("X-Amz-Expires=60&")
    );
    let eks = run(&["token", "eks", "--cluster-name", "prod", "--time", t]);
    assert!(
        eks.starts_with(
            r#"{"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1beta1""#
        ),
        "{eks}"
    );
    assert!(
        eks.contains(r#""expirationTimestamp": "2024-05-01T12:14:00Z", "token": "k8s-aws-v1."#)
    );
    let cache = run(&[
        "token",
        "elasticache",
        "--replication-group-id",
        "grp",
        "--user-id",
        "u",
        "--serverless",
        "--time",
        t,
    ]);
    assert!(
        cache.starts_with("grp/?Action=connect&User=u&ResourceType=ServerlessCache&")
            || cache.contains("ResourceType=ServerlessCache"),
        "{cache}"
    );
    let memorydb = run(&[
        "token",
        "memorydb",
        "--cluster-name",
        "mem",
        "--user-id",
        "u",
        "--time",
        t,
    ]);
    assert!(memorydb.starts_with("mem/?Action=connect&User=u&"));
    let msk = run(&["token", "msk", "--region", "eu-west-1", "--time", t]);
    assert!(
        msk.starts_with("aHR0cHM6Ly9rYWZrYS5ldS13ZXN0LTEu"),
        "base64url of https://kafka.eu-west-1.: {msk}"
    );
    let bad = presign(
        &[
            "token",
            "rds",
            "--hostname",
            "https://db",
            "--port",
            "1",
            "--username",
            "u",
        ],
        &env,
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn post_subcommand() {
    let out = example(&[
        "post",
        "s3://my-bucket/uploads/",
        "--max-size",
        "1048576",
        "--content-type-prefix",
        "image/",
        "--time",
        "20240501T120000Z",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = stdout(&out);
    assert!(
        json.starts_with(r#"{"url": "https://my-bucket.s3.us-east-1.amazonaws.com/", "fields": {"key": "uploads/${filename}", "x-amz-algorithm": "AWS4-HMAC-SHA256", "x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20240501/us-east-1/s3/aws4_request", "x-amz-date": "20240501T120000Z", "policy": ""#),
        "{json}"
    );
    assert!(json.contains(r#", "x-amz-signature": ""#) && json.trim_end().ends_with("\"}}"));
    let out = example(&[
        "post",
        "s3://my-bucket/a.txt",
        "--field",
        "acl=private",
        "--curl",
        "a.txt",
        "--endpoint",
        "http://127.0.0.1:9000",
    ]);
    let curl = stdout(&out);
    assert!(
        curl.starts_with("curl --form-string 'acl=private' --form-string 'key=a.txt' "),
        "{curl}"
    );
    assert!(
        curl.trim_end()
            .ends_with("-F 'file=@\"a.txt\"' 'http://127.0.0.1:9000/my-bucket'"),
        "{curl}"
    );
    let both = example(&[
        "post",
        "s3://my-bucket/a",
        "--content-type",
        "a/b",
        "--content-type-prefix",
        "a/",
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert_eq!(
        example(&["post", "https://my-bucket/a"]).status.code(),
        Some(2)
    );
}

/// Item 11 of the hardening review: `--explain` hides every session token, in `presign` and
/// in `presign verify`, however its name is written.
#[test]
fn item_11_explain_redacts_every_session_token() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "ASIAEXPLAIN"),
        ("AWS_SECRET_ACCESS_KEY", "explain-secret"),
        ("AWS_SESSION_TOKEN", "RealSessionToken123"),
    ];
    let out = presign(
        &[
            "--explain",
            "--time",
            "20240501T120000Z",
            "https://h.example/k",
        ],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("--- canonical request"), "{err}");
    assert!(!err.contains("RealSessionToken123"), "{err}");
    assert!(err.contains("X-Amz-Security-Token=<redacted>"), "{err}");
    let url = stdout(&out).trim().to_owned();

    for extra in [
        "&X-Amz-Security-Toke%6E=RealSessionToken123",
        "&x-amz-security-token=RealSessionToken123",
    ] {
        let tampered = format!("{url}{extra}");
        let out = presign(
            &[
                "verify",
                "--explain",
                "--time",
                "20240501T120500Z",
                &tampered,
            ],
            &env,
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("--- canonical request"), "{err}");
        assert!(!err.contains("RealSessionToken123"), "{extra}: {err}");
    }
}

#[test]
fn sigv4a_and_multi_region_access_points() {
    let time = ["--time", "20240501T120000Z"];
    // A Multi-Region Access Point ARN target: SigV4a for every region, the global host.
    let mrap = "s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap/photos/a b.jpg";
    let out = example(&[&time[..], &[mrap, "--explain"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let url = stdout(&out);
    assert!(url.starts_with(
        "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/a%20b.jpg?\
         X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240501%2Fs3%2Faws4_request&\
         X-Amz-Date=20240501T120000Z&X-Amz-Expires=3600&X-Amz-Region-Set=%2A&X-Amz-SignedHeaders=host&X-Amz-Signature=30"
    ), "{url}");
    assert!(
        stderr(&out)
            .contains("AWS4-ECDSA-P256-SHA256\n20240501T120000Z\n20240501/s3/aws4_request\n")
    );
    // The alias alone names it too, and signs the same URL (RFC 6979 nonces).
    let alias = example(&[&time[..], &["s3://mfzwi23gnjvgw.mrap/photos/a b.jpg"]].concat());
    assert_eq!(stdout(&alias), url);

    // --sigv4a with a region set, and its default (the region).
    let two = example(
        &[
            &time[..],
            &["--region-set", "us-east-1,us-west-2", "s3://my-bucket/k"],
        ]
        .concat(),
    );
    assert!(two.status.success(), "{}", stderr(&two));
    assert!(stdout(&two).contains("&X-Amz-Region-Set=us-east-1%2Cus-west-2&"));
    let one = example(
        &[
            &time[..],
            &["--sigv4a", "--region", "eu-west-1", "s3://my-bucket/k"],
        ]
        .concat(),
    );
    assert!(stdout(&one).starts_with(
        "https://my-bucket.s3.eu-west-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&"
    ));
    assert!(stdout(&one).contains("&X-Amz-Region-Set=eu-west-1&"));

    // `presign verify` takes SigV4a URLs, in a region of the set, and refuses a change.
    let signed = stdout(&two);
    let signed = signed.trim_end();
    let check = |region: &str, url: &str| {
        example(&[
            "--time",
            "20240501T120500Z",
            "--region",
            region,
            "verify",
            url,
        ])
    };
    let ok = check("us-west-2", signed);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).starts_with("valid (SigV4a, region set us-east-1,us-west-2): signed by AKIAIOSFODNN7EXAMPLE for 20240501/s3/aws4_request"), "{}", stdout(&ok));
    assert_eq!(check("eu-west-1", signed).status.code(), Some(1));
    let tampered = signed.replace("/k?", "/j?");
    let bad = check("us-east-1", &tampered);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("signature"), "{}", stderr(&bad));

    // Bad input: one line, status 2.
    for args in [
        vec!["--region-set", "us-east-1,", "s3://b1x/k"],
        vec!["--region-set", "us-east-1", mrap],
        vec!["--endpoint", "http://127.0.0.1:9000", mrap],
        vec!["s3://arn:aws:s3:us-east-1:123456789012:accesspoint/mfzwi23gnjvgw.mrap/k"],
    ] {
        let out = example(&[&time[..], &args[..]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        let last = err.lines().last().unwrap();
        assert!(last.starts_with("presign: error: "), "{args:?}: {err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn s3_express_directory_buckets() {
    // botocore's URL for CreateSession credentials (tests/vectors/botocore-express.txt),
    // from the same inputs: the token under X-Amz-S3session-Token, signed for s3express.
    let session = [
        ("AWS_ACCESS_KEY_ID", "ASIASESSIONEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "sessionsecretEXAMPLE"),
        ("AWS_SESSION_TOKEN", "sessiontokenEXAMPLE/+="),
        ("AWS_REGION", "us-west-2"),
    ];
    let target = "s3://mybucket--usw2-az1--x-s3/photos/a b.jpg";
    let out = presign(
        &[
            "--time",
            "20240501T120000Z",
            "--expires",
            "300",
            "--s3express-session",
            target,
        ],
        &session,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let url = stdout(&out);
    assert!(url.starts_with("https://mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/photos/a%20b.jpg?"));
    assert!(url.contains("%2Fus-west-2%2Fs3express%2Faws4_request&"));
    assert!(url.contains("&X-Amz-S3session-Token=sessiontokenEXAMPLE%2F%2B%3D&"));
    assert!(
        url.ends_with(
            "&X-Amz-Signature=517ffc12f1ec5a59ab11d6520112b86a96072d5ea3a9dbb1e26ab7290e83aa94\n"
        ),
        "{url}"
    );
    // `presign verify` takes the zonal endpoint's signing name by itself.
    let ok = presign(
        &["--time", "20240501T120100Z", "verify", url.trim_end()],
        &session,
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("for 20240501/us-west-2/s3express/aws4_request"));
    // Signing a directory bucket for `s3` is refused: S3 would answer 403.
    let wrong = presign(&["--service", "s3", target], &session);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("s3express"), "{}", stderr(&wrong));
    // A zone name where the zone id belongs: one line, status 2.
    let bad = presign(&["s3://mybucket--us-west-2a--x-s3/k"], &session);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(stderr(&bad).lines().count(), 1, "{}", stderr(&bad));
}

#[test]
fn s3express_session_flag_refusals_and_explain() {
    let session = [
        ("AWS_ACCESS_KEY_ID", "ASIASESSIONEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "sessionsecretEXAMPLE"),
        ("AWS_SESSION_TOKEN", "sessiontokenEXAMPLE/+="),
        ("AWS_REGION", "us-west-2"),
    ];
    let out = presign(
        &[
            "--explain",
            "--s3express-session",
            "s3://mybucket--usw2-az1--x-s3/k",
        ],
        &session,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("X-Amz-S3session-Token=<redacted>"), "{err}");
    assert!(!err.contains("sessiontokenEXAMPLE"), "{err}");
    // Not a directory bucket, or no session token: one line, status 2.
    let plain = presign(&["--s3express-session", "s3://my-bucket/k"], &session);
    assert_eq!(plain.status.code(), Some(2));
    assert!(
        stderr(&plain).contains("directory bucket"),
        "{}",
        stderr(&plain)
    );
    let iam = presign(
        &["--s3express-session", "s3://mybucket--usw2-az1--x-s3/k"],
        &session[..2]
            .iter()
            .chain(&session[3..])
            .copied()
            .collect::<Vec<_>>(),
    );
    assert_eq!(iam.status.code(), Some(2));
    assert!(
        stderr(&iam).contains("AWS_SESSION_TOKEN"),
        "{}",
        stderr(&iam)
    );
    // SigV4a for a directory bucket is refused.
    let v4a = presign(&["--sigv4a", "s3://mybucket--usw2-az1--x-s3/k"], &session);
    assert_eq!(v4a.status.code(), Some(2));
    assert!(stderr(&v4a).contains("SigV4 only"), "{}", stderr(&v4a));
}

#[test]
fn cloudfront_subcommand() {
    // The URL `aws cloudfront sign` prints for the same inputs (tests/vectors/cloudfront.txt,
    // case rsa-sha1-custom-dgt-ip), with each of its time forms.
    let text = include_str!("vectors/cloudfront.txt");
    let block = text.split("=== rsa-sha1-custom-dgt-ip\n").nth(1).unwrap();
    let expected = block
        .lines()
        .find_map(|l| l.strip_prefix("signed-url "))
        .unwrap();
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/cloudfront/rsa-pkcs1.pem"
    );
    let url = "https://d111111abcdef8.cloudfront.net/images/photo%201.jpg?size=large";
    for (until, start) in [
        ("1767225600", "1764547200"),
        ("1767225600.9", "1764547200.2"),
        ("2026-01-01 00:00:00", "2025-12-01 00:00:00"),
        ("2026-01-01T00:00:00.5", "2025-12-01T00:00:00Z"),
        ("2026-01-01", "2025-12-01"),
        ("2026-01-01T00:00:00", "2025-12-01T00:00:00"),
        ("2026-01-01T01:00:00+01:00", "2025-11-30T19:00:00-05:00"),
    ] {
        let file_key = format!("file://{key}");
        let out = presign(
            &[
                "cloudfront",
                "--url",
                url,
                "--key-pair-id",
                "K2JCJMDEHXQW5F",
                "--private-key",
                &file_key,
                "--date-less-than",
                until,
                "--date-greater-than",
                start,
                "--ip-address",
                "192.0.2.0/24",
            ],
            &[],
        );
        assert!(out.status.success(), "{until}: {}", stderr(&out));
        assert_eq!(stdout(&out), format!("{expected}\n"), "{until}");
    }
    // The PEM text itself, as the AWS CLI takes it; a key that is not a file is never
    // echoed back.
    let pem = include_str!("vectors/cloudfront/rsa-pkcs1.pem");
    let inline = presign(
        &[
            "cloudfront",
            "--url",
            url,
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            pem,
            "--date-less-than",
            "1767225600",
            "--date-greater-than",
            "1764547200",
            "--ip-address",
            "192.0.2.0/24",
        ],
        &[],
    );
    assert_eq!(
        stdout(&inline),
        format!("{expected}\n"),
        "{}",
        stderr(&inline)
    );
    let broken = pem.replace("-----BEGIN RSA PRIVATE KEY-----", "BEGIN");
    let out = presign(
        &[
            "cloudfront",
            "--url",
            url,
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            &broken,
            "--expires",
            "60",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(!stderr(&out).contains(&pem[40..80]), "{}", stderr(&out));
    // --expires counts from --time; --cookies prints one cookie a line; SHA-256 is named.
    let out = presign(
        &[
            "--time",
            "20251231T230000Z",
            "cloudfront",
            "--url",
            "https://d111111abcdef8.cloudfront.net/images/photo%201.jpg",
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            key,
            "--expires",
            "3600",
            "--cookies",
            "--hash-algorithm",
            "SHA256",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let cookies = stdout(&out);
    let names: Vec<&str> = cookies
        .lines()
        .map(|l| l.split('=').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "CloudFront-Expires",
            "CloudFront-Signature",
            "CloudFront-Key-Pair-Id",
            "CloudFront-Hash-Algorithm"
        ]
    );
    assert!(cookies.starts_with("CloudFront-Expires=1767225600\n"));
    let sha256 = text.split("=== rsa-sha256-canned\n").nth(1).unwrap();
    for line in sha256
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix("cookie "))
    {
        assert!(cookies.contains(&format!("{line}\n")), "{line}");
    }
    // Bad input: one line on stderr, status 2, nothing on stdout.
    let public = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/cloudfront/rsa-public.pem"
    );
    for args in [
        vec![
            "--url",
            url,
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            public,
            "--expires",
            "60",
        ],
        vec![
            "--url",
            url,
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            "/nonexistent.pem",
            "--expires",
            "60",
        ],
        vec![
            "--url",
            url,
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            key,
            "--date-less-than",
            "20260101x",
        ],
        vec![
            "--url",
            url,
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            key,
            "--expires",
            "60",
            "--ip-address",
            "192.0.2.7/24",
        ],
        vec![
            "--url",
            url,
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            key,
            "--expires",
            "60",
            "--hash-algorithm",
            "MD5",
        ],
        vec![
            "--url",
            "https://d/a b.jpg",
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            key,
            "--expires",
            "60",
        ],
        vec![
            "--url",
            url,
            "--key-pair-id",
            "K2JCJMDEHXQW5F",
            "--private-key",
            key,
        ],
    ] {
        let out = presign(&[&["cloudfront"][..], &args[..]].concat(), &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&out).lines().count(),
            1,
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
}
