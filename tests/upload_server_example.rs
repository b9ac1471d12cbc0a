//! The `upload_server` example: it accepts a presigned PUT to itself, stores the body, and
//! refuses invalid links.

mod common;

#[allow(dead_code)]
#[path = "../examples/upload_server.rs"]
mod upload_server;

#[test]
fn example_server_accepts_valid_links_and_refuses_others() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let store = upload_server::start(listener);

    let put = upload_server::presign(addr, "PUT", "notes/hello world.txt");
    let r = common::send("PUT", &put, &[], b"hello");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        store
            .lock()
            .unwrap()
            .get("/uploads/notes/hello%20world.txt")
            .map(Vec::as_slice),
        Some(&b"hello"[..])
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
