//! The `upload_server` example: it accepts a presigned PUT to itself, stores the body under
//! the key the verifier decoded, and refuses invalid links, links for another host, slow or
//! malformed request heads, and more connections than it serves.

mod common;

#[allow(dead_code)]
#[path = "../examples/upload_server.rs"]
mod upload_server;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

fn start() -> (SocketAddr, upload_server::Store) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    (addr, upload_server::start(listener))
}

/// Sends `request` as written and returns the status line's code.
fn raw(addr: SocketAddr, request: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn example_server_accepts_valid_links_and_refuses_others() {
    let (addr, store) = start();
    let put = upload_server::presign(addr, "PUT", "notes/hello world.txt");
    let r = common::send("PUT", &put, &[], b"hello");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        store
            .lock()
            .unwrap()
            .get("notes/hello world.txt")
            .map(Vec::as_slice),
        Some(&b"hello"[..]),
        "stored under the decoded key"
    );

    let get = upload_server::presign(addr, "GET", "notes/hello world.txt");
    let r = common::send("GET", &get, &[], b"");
    assert_eq!((r.status, r.body.as_slice()), (200, &b"hello"[..]));

    // Invalid links: tampered signature, another key, another method, no signature at all.
    let mut tampered = put.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == '0' { '1' } else { '0' });
    for (method, url) in [
        ("PUT", tampered),
        ("PUT", put.replace("hello%20world", "hello%20there")),
        ("DELETE", put.clone()),
        ("PUT", format!("http://{addr}/uploads/unsigned.txt")),
    ] {
        let r = common::send(method, &url, &[], b"evil");
        assert_eq!(r.status, 403, "{method} {url}: {}", r.text());
    }
    assert_eq!(store.lock().unwrap().len(), 1, "nothing else was stored");
    assert_eq!(store.lock().unwrap().values().next().unwrap(), b"hello");
}

/// Item 2 of the hardening review: one link, however its path is encoded, writes one key;
/// a link signed for another host is refused.
#[test]
fn item_02_every_encoding_of_a_link_stores_one_key_and_other_hosts_are_refused() {
    let (addr, store) = start();
    let put = upload_server::presign(addr, "PUT", "hello.txt");
    let (base, query) = put.split_once('?').unwrap();
    let path = base.rsplit_once('/').unwrap().1;
    let mut encodings = 0;
    for (i, c) in path.char_indices() {
        for escape in [format!("%{:02X}", c as u8), format!("%{:02x}", c as u8)] {
            let encoded = format!("{}{escape}{}", &path[..i], &path[i + 1..]);
            let url = format!("http://{addr}/uploads/{encoded}?{query}");
            let r = common::send("PUT", &url, &[], encoded.as_bytes());
            assert_eq!(r.status, 200, "{url}: {}", r.text());
            encodings += 1;
        }
    }
    assert!(encodings >= 18);
    let stored = store.lock().unwrap();
    assert_eq!(stored.len(), 1, "{:?}", stored.keys().collect::<Vec<_>>());
    assert!(stored.contains_key("hello.txt"));
    drop(stored);

    // The same keys signed a link for another server; presented here, it is refused.
    let presigner =
        sigv4_presign::Presigner::new(upload_server::credentials(), "us-east-1", "s3").unwrap();
    let other = presigner
        .presign_now(&sigv4_presign::PresignRequest::put(
            "http://other.example:8014/uploads/x.txt",
        ))
        .unwrap();
    let target = &other.url()["http://other.example:8014".len()..];
    let request =
        format!("PUT {target} HTTP/1.1\r\nHost: other.example:8014\r\nContent-Length: 1\r\n\r\nx");
    assert_eq!(raw(addr, &request), 403);
    assert!(!store.lock().unwrap().contains_key("x.txt"));
}

/// Item 13: strict `Content-Length`, a deadline for the whole request head, and a cap on
/// connections.
#[test]
fn item_13_request_heads_are_bounded_in_time_size_and_number() {
    let (addr, store) = start();
    let put = upload_server::presign(addr, "PUT", "a.txt");
    let target = put.split_once(&addr.to_string()).unwrap().1.to_owned();
    let head = |extra: &str| format!("PUT {target} HTTP/1.1\r\nHost: {addr}\r\n{extra}\r\nabc");
    assert_eq!(raw(addr, &head("Content-Length: 3\r\n")), 200);
    for bad in [
        "Content-Length: +3\r\n",
        "Content-Length: 3\r\nContent-Length: 3\r\n",
        "Content-Length: 0x3\r\n",
        "Content-Length: 3 \r\nContent-Length: 4\r\n",
    ] {
        assert_eq!(raw(addr, &head(bad)), 400, "{bad:?}");
    }
    assert_eq!(raw(addr, &head("Transfer-Encoding: chunked\r\n")), 411);
    assert_eq!(store.lock().unwrap().len(), 1);

    // The connection cap: idle connections beyond it are answered 503 at once.
    let idle: Vec<TcpStream> = (0..64).map(|_| TcpStream::connect(addr).unwrap()).collect();
    // Time for the server to accept them all, even on a loaded machine.
    std::thread::sleep(Duration::from_secs(1));
    let mut extra = TcpStream::connect(addr).unwrap();
    extra
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut answer = String::new();
    let _ = extra.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    drop(idle);

    // A client trickling its head a byte at a time is cut off at the deadline.
    let started = Instant::now();
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut answer = String::new();
    for byte in "PUT /uploads/slow HTTP/1.1\r\nHost: x\r\n".bytes() {
        if slow.write_all(&[byte]).is_err() {
            break;
        }
        let mut buf = [0u8; 256];
        match slow.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                // The answer has begun: read it to its end (it may come in pieces).
                answer.push_str(&String::from_utf8_lossy(&buf[..n]));
                let mut rest = Vec::new();
                let _ = slow.read_to_end(&mut rest);
                answer.push_str(&String::from_utf8_lossy(&rest));
                break;
            }
            Err(_) => {}
        }
        if started.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(20));
}
