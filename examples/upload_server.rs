//! A small upload endpoint, standard library only, that checks presigned URLs to itself.
//!
//! ```sh
//! cargo run --example upload_server
//! ```
//!
//! It prints a presigned PUT link (valid ten minutes) and the `curl` command that uses it.
//! A `PUT /uploads/KEY?X-Amz-…` with a valid signature stores the body (in memory) under
//! KEY as the verifier decoded it, and answers 200; a presigned `GET` reads it back;
//! anything else answers 403 with the reason.
//!
//! It acts on what the verifier established, never on the raw request: the decoded path
//! (every encoding of a key that verifies names the one key that was signed) and the host
//! the link was signed for, which must be this server's own. It serves at most 64
//! connections at once, gives each 10 s to send its request head, and reads
//! `Content-Length` strictly.

#[path = "support/http_head.rs"]
mod http_head;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sigv4_presign::verify::{ReceivedRequest, Verifier};
use sigv4_presign::{Credentials, PresignRequest, Presigner};
use time::OffsetDateTime;

/// The largest body accepted.
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// Stored uploads, by key (decoded: `notes/hello world.txt`).
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
    let own_host = listener
        .local_addr()
        .map(|addr| addr.to_string())
        .unwrap_or_default();
    let verifier = Arc::new(
        Verifier::new(
            move |id: &str| (id == creds.access_key_id()).then(|| creds.clone()),
            "us-east-1",
            "s3",
        )
        .expect("valid scope"),
    );
    std::thread::spawn(move || {
        http_head::serve(listener, move |stream| {
            let _ = handle(stream, &shared, &verifier, &own_host);
        });
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
    own_host: &str,
) -> std::io::Result<()> {
    // The head is read with caps (64 KiB, 100 headers, 10 s); the body only once the link
    // checks out.
    let (head, reader) = match http_head::read_head(&stream, 64 * 1024) {
        Ok(read) => read,
        Err(refusal) => return http_head::refuse(stream, refusal),
    };
    let pairs: Vec<(&str, &str)> = head
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = ReceivedRequest::new(&head.method, &head.target, &pairs).over_http();
    let verified = match verifier.verify(&request, OffsetDateTime::now_utc()) {
        Ok(verified) => verified,
        Err(reason) => return respond(stream, 403, &reason.to_string()),
    };
    // The keys are shared with every server that trusts them: a link signed for another
    // host is not a link to this one.
    if verified.host() != own_host {
        return respond(stream, 403, "the link was signed for another host");
    }
    let Some(key) = verified.path().strip_prefix("/uploads/") else {
        return respond(stream, 404, "uploads live under /uploads/");
    };
    let length = match head.content_length() {
        Ok(length) if length > MAX_BODY => return respond(stream, 413, "body too large"),
        Ok(length) => length,
        Err(refusal) => return http_head::refuse(stream, refusal),
    };
    let mut body = Vec::new();
    reader.take(length).read_to_end(&mut body)?;
    if body.len() as u64 != length {
        return respond(stream, 400, "the body is shorter than its Content-Length");
    }
    match verified.method() {
        "PUT" => {
            store.lock().expect("store").insert(key.to_owned(), body);
            respond(stream, 200, "stored")
        }
        "GET" => match store.lock().expect("store").get(key) {
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
