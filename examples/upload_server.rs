//! A small upload endpoint, standard library only, that checks presigned URLs to itself.
//!
//! ```sh
//! cargo run --example upload_server
//! ```
//!
//! It prints a presigned PUT link (valid ten minutes) and the `curl` command that uses it.
//! A `PUT /uploads/KEY?X-Amz-…` with a valid signature stores the body (in memory) and
//! answers 200; a presigned `GET` reads it back; anything else answers 403 with the reason.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sigv4_presign::verify::{ReceivedRequest, Verifier};
use sigv4_presign::{Credentials, PresignRequest, Presigner};
use time::OffsetDateTime;

/// The largest body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Stored uploads, by request path.
pub type Store = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// The credentials this server trusts (AWS's documented example pair).
pub fn credentials() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .expect("valid example credentials")
}

/// Starts serving on `listener` in a background thread; returns the store it writes to.
pub fn start(listener: TcpListener) -> Store {
    let store = Store::default();
    let shared = store.clone();
    let creds = credentials();
    let verifier = Arc::new(
        Verifier::new(
            move |id: &str| (id == creds.access_key_id()).then(|| creds.clone()),
            "us-east-1",
            "s3",
        )
        .expect("valid scope"),
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (store, verifier) = (shared.clone(), verifier.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &store, &verifier);
            });
        }
    });
    store
}

/// A presigned link to `key` on the server at `addr`.
pub fn presign(addr: SocketAddr, method: &str, key: &str) -> String {
    let presigner = Presigner::new(credentials(), "us-east-1", "s3").expect("valid scope");
    let url = format!("http://{addr}/uploads/{key}");
    let request = PresignRequest::new(method, url).expires_in(Duration::from_secs(600));
    presigner
        .presign_now(&request)
        .expect("a valid request")
        .into_url()
}

fn handle<S: sigv4_presign::verify::CredentialStore>(
    stream: TcpStream,
    store: &Store,
    verifier: &Verifier<S>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    // The head is read with caps (64 KiB, 100 headers); the body only once the link checks out.
    let mut reader = BufReader::new(stream.try_clone()?).take(64 * 1024);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return respond(stream, 400, "bad request line");
    };
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || headers.len() > 100 {
            return respond(stream, 431, "request head too large");
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = ReceivedRequest::new(method, target, &pairs).over_http();
    if let Err(reason) = verifier.verify(&request, OffsetDateTime::now_utc()) {
        return respond(stream, 403, &reason.to_string());
    }
    if pairs
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
    {
        return respond(stream, 411, "send the body with a Content-Length");
    }
    let length: usize = pairs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return respond(stream, 413, "body too large");
    }
    let mut body = vec![0; length];
    let mut reader = reader.into_inner();
    reader.read_exact(&mut body)?;
    let path = target.split('?').next().unwrap_or_default().to_owned();
    match method {
        "PUT" => {
            store.lock().expect("store").insert(path, body);
            respond(stream, 200, "stored")
        }
        "GET" => match store.lock().expect("store").get(&path) {
            Some(data) => respond_bytes(stream, 200, data),
            None => respond(stream, 404, "no such upload"),
        },
        _ => respond(stream, 405, "PUT or GET only"),
    }
}

fn respond(stream: TcpStream, status: u16, text: &str) -> std::io::Result<()> {
    respond_bytes(stream, status, format!("{text}\n").as_bytes())
}

fn respond_bytes(mut stream: TcpStream, status: u16, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        if status == 200 { "OK" } else { "Refused" },
        body.len()
    )?;
    stream.write_all(body)
}

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:8014")?;
    let addr = listener.local_addr()?;
    let put = presign(addr, "PUT", "hello.txt");
    let get = presign(addr, "GET", "hello.txt");
    println!("Upload endpoint on http://{addr}\n");
    println!("Upload (valid 10 minutes):\n  curl -T some-file.txt '{put}'\n");
    println!("Download:\n  curl '{get}'\n");
    println!("Change any byte of a link and the server answers 403.");
    start(listener);
    loop {
        std::thread::park();
    }
}
