//! The `browser_upload` example in a real browser: headless Chromium opens the page, uploads
//! a file through the presigned POST and through the presigned PUT straight to SeaweedFS,
//! and both objects hold the file's bytes. A screenshot of the page after the uploads is
//! saved to `target/browser-upload.png`.

mod common;

#[allow(dead_code)]
#[path = "../examples/browser_upload.rs"]
mod browser_upload;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use browser_upload::App;
use common::browser::Browser;
use common::{SeaweedFs, presigner, send};
use serde_json::{Value, json};
use sigv4_presign::s3::{Bucket, Endpoint};

const BUCKET: &str = "browser-uploads";
const MAX_SIZE: u64 = 1024 * 1024;

/// Serves the example app for `bucket` on 127.0.0.1; returns its page's URL.
fn start_app(bucket: Bucket) -> String {
    let mut app = App::new(bucket, presigner());
    app.max_size = MAX_SIZE;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let page = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || browser_upload::serve(listener, Arc::new(app)));
    page
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Waits for the page to finish an upload; returns its state (`done` or `failed`) and
/// status line.
fn outcome(browser: &Browser) -> (String, String) {
    let result = browser.wait_for(
        "const s = document.getElementById('status');
         return s.dataset.state === 'done' || s.dataset.state === 'failed'
             ? [s.dataset.state, s.textContent] : null;",
        Duration::from_secs(60),
    );
    (
        result[0].as_str().unwrap().to_owned(),
        result[1].as_str().unwrap().to_owned(),
    )
}

#[test]
fn the_browser_uploads_straight_to_storage_with_post_and_put() {
    let storage = SeaweedFs::start(BUCKET);
    let bucket = Bucket::new(BUCKET, "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::custom(&storage.endpoint()).unwrap());
    let page = start_app(bucket.clone());

    // 300 KiB holding every byte value, under a name with a space and non-ASCII letters;
    // and a file one byte over the app's limit.
    let dir = std::env::temp_dir().join(format!("sigv4-presign-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data: Vec<u8> = (0..300 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let file = dir.join("été photo.png");
    std::fs::write(&file, &data).unwrap();
    let too_big = dir.join("too big.png");
    std::fs::write(&too_big, vec![0u8; MAX_SIZE as usize + 1]).unwrap();

    let browser = Browser::start();
    browser.goto(&page);
    let presigner = presigner();
    let mut keys = Vec::new();
    // Each upload starts from `idle`, so that the wait cannot see the last one's outcome.
    let reset = "document.getElementById('status').dataset.state = 'idle';";
    for (button, method) in [("#upload-post", "POST"), ("#upload-put", "PUT")] {
        browser.find("#file").send_keys(file.to_str().unwrap());
        browser.execute(reset, json!([]));
        browser.find(button).click();
        let (state, status) = outcome(&browser);
        assert_eq!(state, "done", "{method} upload: {status}");
        assert!(status.contains(&format!("presigned {method}")), "{status}");
        let shown = browser.execute(
            "const a = document.getElementById('download');
             return [a.dataset.key, a.getAttribute('href'),
                     Number(document.getElementById('progress').dataset.sent)];",
            json!([]),
        );
        let (key, href) = (shown[0].as_str().unwrap(), shown[1].as_str().unwrap());
        // Upload progress was reported up to the whole request body: the file itself for
        // the PUT, the file inside the form for the POST.
        let sent = shown[2].as_u64().unwrap();
        if method == "PUT" {
            assert_eq!(sent, data.len() as u64, "progress reported");
        } else {
            assert!(sent > data.len() as u64, "progress reported: {sent}");
        }
        assert!(
            key.starts_with("incoming/") && key.ends_with("/été photo.png"),
            "{key}"
        );

        // The page's download link serves the file's bytes...
        let r = send("GET", href, &[], b"");
        assert_eq!(r.status, 200, "{method}: {}", r.text());
        assert!(
            r.body == data,
            "{method}: the download link serves other bytes"
        );
        assert_eq!(
            r.header("content-disposition"),
            Some("attachment"),
            "{method}: served as a download, never rendered"
        );
        // ...and so does the bucket, read with a link signed here.
        let get = bucket.get_object(key).presign_now(&presigner).unwrap();
        let r = send("GET", get.url(), &[], b"");
        assert_eq!(r.status, 200, "{method}: {}", r.text());
        assert!(r.body == data, "{method}: the bucket holds other bytes");
        assert_eq!(r.header("content-type"), Some("image/png"), "{method}");
        keys.push(key.to_owned());
    }
    assert_ne!(keys[0], keys[1], "each upload has its own key");
    let listed = browser.execute(
        "return [...document.querySelectorAll('#uploads li')].map(li => li.textContent);",
        json!([]),
    );
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");

    let screenshot = target_dir().join("browser-upload.png");
    browser.screenshot(&screenshot);
    eprintln!(
        "screenshot of the page after the uploads: {}",
        screenshot.display()
    );

    // A file over the limit: the app refuses to sign it, and nothing more is stored.
    browser.find("#file").send_keys(too_big.to_str().unwrap());
    browser.execute(reset, json!([]));
    browser.find("#upload-post").click();
    let (state, status) = outcome(&browser);
    assert_eq!(state, "failed", "{status}");
    assert!(
        status.contains(&format!("at most {MAX_SIZE} bytes")),
        "{status}"
    );
    let list = bucket
        .list_objects_v2()
        .prefix("incoming/")
        .presign_now(&presigner)
        .unwrap();
    let listing = send("GET", list.url(), &[], b"").text();
    assert_eq!(listing.matches("<Key>").count(), 2, "{listing}");

    let _ = std::fs::remove_dir_all(&dir);
}

/// The conditions of the POST policy in a `presign-post` answer, decoded.
fn policy_conditions(post: &Value) -> Vec<Value> {
    let policy = common::base64_decode(post["fields"]["policy"].as_str().unwrap());
    let policy: Value = serde_json::from_slice(&policy).unwrap();
    policy["conditions"].as_array().unwrap().clone()
}

/// The app's signing API without a browser: what it signs, and what it refuses.
#[test]
fn the_app_signs_bounded_uploads_and_explains_refusals() {
    let bucket = Bucket::new("example-bucket", "us-east-1").unwrap();
    let mut app = App::new(bucket, presigner());
    app.max_size = MAX_SIZE;

    let (status, body) = app.presign(
        "post",
        "name=r%C3%A9sum%C3%A9+2024.pdf&type=application%2Fpdf&size=1000",
    );
    assert_eq!(status, 200, "{body}");
    let post: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(post["method"], "POST");
    assert_eq!(
        post["url"],
        "https://example-bucket.s3.us-east-1.amazonaws.com/"
    );
    let key = post["key"].as_str().unwrap();
    assert!(
        key.starts_with("incoming/") && key.ends_with("/résumé 2024.pdf"),
        "{key}"
    );
    assert_eq!(post["fields"]["key"], key);
    assert_eq!(post["fields"]["Content-Type"], "application/pdf");
    let conditions = policy_conditions(&post);
    assert!(
        conditions.contains(&json!(["content-length-range", 0, MAX_SIZE])),
        "{conditions:?}"
    );
    assert!(
        post["download"]
            .as_str()
            .unwrap()
            .contains("X-Amz-Signature=")
    );

    let (status, body) = app.presign("put", "name=a.txt&type=text%2Fplain&size=5");
    assert_eq!(status, 200, "{body}");
    let put: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(put["method"], "PUT");
    assert_eq!(
        put["headers"],
        json!({"content-length": "5", "content-type": "text/plain"})
    );
    assert!(
        put["url"]
            .as_str()
            .unwrap()
            .contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"),
        "{put}"
    );
    // Keys are unique, and names cannot leave the upload's folder.
    let (_, again) = app.presign("put", "name=a.txt&size=5");
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_ne!(again["key"], put["key"]);
    assert_eq!(again["headers"]["content-type"], "application/octet-stream");
    let (_, sneaky) = app.presign("put", "name=..%2F..%2Fetc%2Fpasswd&size=5");
    let sneaky: Value = serde_json::from_str(&sneaky).unwrap();
    assert!(
        sneaky["key"]
            .as_str()
            .unwrap()
            .ends_with("/.._.._etc_passwd"),
        "{sneaky}"
    );
    // Families in the allow-list: image/* takes any image type.
    let mut family = App::new(
        Bucket::new("example-bucket", "us-east-1").unwrap(),
        presigner(),
    );
    family.allowed_types = vec!["image/*".into()];
    assert_eq!(
        family
            .presign("put", "name=a.avif&size=5&type=image%2Favif")
            .0,
        200
    );
    assert_eq!(family.presign("put", "name=a&size=5&type=image%2F").0, 400);
    assert_eq!(
        family.presign("put", "name=a&size=5&type=imagex%2Fpng").0,
        400
    );
    // A name with `${filename}` cannot turn the POST policy into a prefix policy.
    let (_, body) = app.presign("post", "name=x%24%7Bfilename%7D&size=5");
    let post: Value = serde_json::from_str(&body).unwrap();
    let key = post["key"].as_str().unwrap();
    assert!(key.ends_with("/x_{filename}"), "{key}");
    let conditions = policy_conditions(&post);
    assert!(
        conditions.contains(&json!({ "key": key })),
        "exactly this key: {conditions:?}"
    );

    for (kind, query, says) in [
        ("post", "type=text%2Fplain&size=5", "?name="),
        ("put", "name=a.txt", "&size="),
        ("put", "name=a.txt&size=1048577", "at most 1048576 bytes"),
        ("get", "name=a.txt&size=5", "use post or put"),
        (
            "put",
            "name=a.txt&size=5&type=text%2Fplain%0D%0AX-Evil%3A+1",
            "control character",
        ),
        // Item 13 of the hardening review: the POST path refuses it too, and both take an
        // allow-list of types.
        (
            "post",
            "name=a.txt&size=5&type=text%2Fplain%0D%0AX-Evil%3A+1",
            "control character",
        ),
        (
            "post",
            "name=a.html&size=5&type=text%2Fhtml",
            "does not accept",
        ),
        (
            "put",
            "name=a.svg&size=5&type=image%2Fsvg%2Bxml",
            "does not accept",
        ),
    ] {
        let (status, body) = app.presign(kind, query);
        assert_eq!(status, 400, "{kind} {query}: {body}");
        let error: Value = serde_json::from_str(&body).unwrap();
        let message = error["error"].as_str().unwrap();
        assert!(message.contains(says), "{kind} {query}: {message}");
    }
}

/// The server answers only to the address it listens on: a page elsewhere that points its
/// own name at 127.0.0.1 (DNS rebinding) gets nothing signed.
#[test]
fn the_app_answers_only_to_its_own_address() {
    use std::io::{Read, Write};

    let bucket = Bucket::new("example-bucket", "us-east-1").unwrap();
    let page = start_app(bucket);
    let api = format!("{page}api/presign-put?name=a.txt&size=5");
    let r = send("POST", &api, &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    let localhost = api.replace("127.0.0.1", "localhost");
    assert_eq!(send("POST", &localhost, &[], b"").status, 200);

    let authority = page.trim_start_matches("http://").trim_end_matches('/');
    let port = authority.rsplit(':').next().unwrap();
    let target = &api[api.find("/api/").unwrap()..];
    for host in [
        format!("evil.example:{port}"),
        "127.0.0.1".into(),
        String::new(),
    ] {
        let mut stream = std::net::TcpStream::connect(authority).unwrap();
        write!(
            stream,
            "POST {target} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 421 "),
            "Host {host:?}: {answer}"
        );
        assert!(!answer.contains("X-Amz-Signature"), "{answer}");
    }
}
