//! The comparison behind `relay_vs_presigned`: an application server with a fixed pool of
//! worker threads that either relays uploads to the store with its own credentials, or
//! hands out presigned PUTs and POST policies; clients that upload through each path; and
//! what it costs the application server. Every upload is read back and compared.

#![allow(dead_code)]

use std::io::{BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use sigv4_presign::Presigner;
use sigv4_presign::s3::Bucket;

use super::http_client::{self, Response};
use super::http_head::read_head;

/// How a file reaches the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Through the application server, which streams it on to the store.
    Relay,
    /// Straight to the store, with a PUT the application server presigned.
    PresignedPut,
    /// Straight to the store, with a POST policy the application server signed.
    PresignedPost,
}

impl Route {
    pub const ALL: [Route; 3] = [Route::Relay, Route::PresignedPut, Route::PresignedPost];

    pub fn name(self) -> &'static str {
        match self {
            Route::Relay => "relay",
            Route::PresignedPut => "presigned PUT",
            Route::PresignedPost => "presigned POST",
        }
    }
}

/// One workload: `clients` clients, each uploading `uploads` files of `size` bytes.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    pub clients: usize,
    pub uploads: usize,
    pub size: usize,
}

/// What one route cost, for one workload.
#[derive(Debug, Clone)]
pub struct Report {
    pub route: Route,
    pub workload: Workload,
    /// File bytes the application server received and sent on.
    pub file_bytes_through_server: u64,
    /// All bytes the application server read (requests, bodies, the store's answers).
    pub bytes_in: u64,
    /// All bytes it wrote (answers, relayed bodies).
    pub bytes_out: u64,
    /// CPU time of the application server's workers.
    pub server_cpu: Duration,
    /// From the first client's start to the last upload's end.
    pub wall: Duration,
    /// Each upload's latency, as its client saw it, sorted.
    pub latencies: Vec<Duration>,
    /// How long a worker was held per request, sorted.
    pub holds: Vec<Duration>,
}

impl Report {
    pub fn uploads(&self) -> usize {
        self.latencies.len()
    }

    pub fn uploads_per_second(&self) -> f64 {
        self.uploads() as f64 / self.wall.as_secs_f64()
    }

    pub fn cpu_per_upload(&self) -> Duration {
        self.server_cpu / self.uploads().max(1) as u32
    }

    pub fn latency(&self, quantile: f64) -> Duration {
        percentile(&self.latencies, quantile)
    }

    pub fn hold(&self, quantile: f64) -> Duration {
        percentile(&self.holds, quantile)
    }
}

fn percentile(sorted: &[Duration], quantile: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() - 1) as f64 * quantile).round() as usize;
    sorted[at]
}

/// The CPU time the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`, up to date when
/// read; `None` where the platform has no such clock).
pub fn thread_cpu() -> Option<Duration> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to write.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    (status == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

/// The counters the workers add to.
#[derive(Default)]
struct Counters {
    file_bytes: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    cpu_nanos: AtomicU64,
    holds: Mutex<Vec<Duration>>,
}

/// The application server: a listener and a fixed pool of workers.
pub struct AppServer {
    pub addr: SocketAddr,
    counters: Arc<Counters>,
}

/// What a worker needs: the store's bucket and the server's long-term credentials.
struct Context {
    bucket: Bucket,
    store_authority: String,
    presigner: Presigner,
}

impl AppServer {
    /// Starts the server with `workers` worker threads.
    pub fn start(
        workers: usize,
        bucket: Bucket,
        store_endpoint: &str,
        presigner: Presigner,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let counters = Arc::new(Counters::default());
        let store_authority = store_endpoint
            .split_once("://")
            .map_or(store_endpoint, |(_, rest)| rest)
            .trim_end_matches('/')
            .to_owned();
        let context = Arc::new(Context {
            bucket,
            store_authority,
            presigner,
        });
        let (queue, jobs) = mpsc::channel::<TcpStream>();
        let jobs = Arc::new(Mutex::new(jobs));
        for _ in 0..workers {
            let (jobs, context, counters) = (jobs.clone(), context.clone(), counters.clone());
            std::thread::spawn(move || {
                loop {
                    let next = jobs.lock().unwrap().recv();
                    let Ok(stream) = next else { return };
                    let (started, cpu) = (Instant::now(), thread_cpu());
                    let reply = handle(&stream, &context, &counters);
                    // Counted before the answer leaves: the client may read it and ask for
                    // the totals at once.
                    if let (Some(before), Some(after)) = (cpu, thread_cpu()) {
                        let used = after.saturating_sub(before).as_nanos() as u64;
                        counters.cpu_nanos.fetch_add(used, Ordering::Relaxed);
                    }
                    counters.holds.lock().unwrap().push(started.elapsed());
                    if let Ok(reply) = reply {
                        let _ = (&stream).write_all(&reply);
                    }
                }
            });
        }
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if queue.send(stream).is_err() {
                    return;
                }
            }
        });
        Self { addr, counters }
    }

    /// The counters since the last call, reset.
    fn take(&self) -> (u64, u64, u64, Duration, Vec<Duration>) {
        let c = &self.counters;
        let mut holds = std::mem::take(&mut *c.holds.lock().unwrap());
        holds.sort();
        (
            c.file_bytes.swap(0, Ordering::Relaxed),
            c.bytes_in.swap(0, Ordering::Relaxed),
            c.bytes_out.swap(0, Ordering::Relaxed),
            Duration::from_nanos(c.cpu_nanos.swap(0, Ordering::Relaxed)),
            holds,
        )
    }
}

/// One request (`PUT /relay/KEY`, `GET /presign/put/KEY` or `GET /presign/post/KEY`);
/// the answer to write.
fn handle(stream: &TcpStream, context: &Context, counters: &Counters) -> std::io::Result<Vec<u8>> {
    let (head, mut body) = match read_head(stream, 16 * 1024) {
        Ok(read) => read,
        Err((status, reason)) => return Ok(answer(counters, status, reason)),
    };
    let head_len = head.method.len()
        + head.target.len()
        + 13
        + head
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 4)
            .sum::<usize>()
        + 2;
    counters
        .bytes_in
        .fetch_add(head_len as u64, Ordering::Relaxed);
    let now = SystemTime::now();
    if let Some(key) = head.target.strip_prefix("/relay/") {
        let length = head.content_length().unwrap_or(0);
        let signed = context
            .bucket
            .put_object(key)
            .presign(&context.presigner, now)
            .map_err(std::io::Error::other)?;
        let status = relay(
            &mut body,
            length,
            signed.url(),
            &context.store_authority,
            counters,
        )?;
        return Ok(answer(counters, status, "relayed"));
    }
    if let Some(key) = head.target.strip_prefix("/presign/put/") {
        let signed = context
            .bucket
            .put_object(key)
            .presign(&context.presigner, now)
            .map_err(std::io::Error::other)?;
        return Ok(answer(counters, 200, signed.url()));
    }
    if let Some(rest) = head.target.strip_prefix("/presign/post/") {
        let (key, size) = rest.split_once("?size=").unwrap_or((rest, "0"));
        let size: u64 = size.parse().unwrap_or(0);
        let post = context
            .bucket
            .post_policy(key)
            .content_length_range(size, size)
            .presign(&context.presigner, now)
            .map_err(std::io::Error::other)?;
        let mut text = post.url().to_owned();
        for (name, value) in post.fields() {
            text.push_str(&format!("\n{name}\t{value}"));
        }
        return Ok(answer(counters, 200, &text));
    }
    Ok(answer(counters, 404, "no such route"))
}

/// Streams `length` body bytes from the client on to the store with a PUT to `url`;
/// returns the store's status.
fn relay(
    body: &mut BufReader<TcpStream>,
    length: u64,
    url: &str,
    store_authority: &str,
    counters: &Counters,
) -> std::io::Result<u16> {
    let target = url.split_once(store_authority).map_or(url, |(_, t)| t);
    let mut upstream = http_client::connect(store_authority)?;
    let head = format!(
        "PUT {target} HTTP/1.1\r\nHost: {store_authority}\r\nContent-Length: {length}\r\n\
         Connection: close\r\n\r\n"
    );
    upstream.write_all(head.as_bytes())?;
    counters
        .bytes_out
        .fetch_add(head.len() as u64, Ordering::Relaxed);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut left = length;
    while left > 0 {
        let want = buffer.len().min(left as usize);
        let n = body.read(&mut buffer[..want])?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        upstream.write_all(&buffer[..n])?;
        left -= n as u64;
        counters
            .file_bytes
            .fetch_add(2 * n as u64, Ordering::Relaxed);
        counters.bytes_in.fetch_add(n as u64, Ordering::Relaxed);
        counters.bytes_out.fetch_add(n as u64, Ordering::Relaxed);
    }
    let response = http_client::read_response(&mut upstream, false)?;
    counters
        .bytes_in
        .fetch_add(response_len(&response), Ordering::Relaxed);
    Ok(response.status)
}

/// The bytes `response` took on the wire (its head as re-written, and its body).
fn response_len(response: &Response) -> u64 {
    let head: usize = response
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + 4)
        .sum();
    (17 + head + 2 + response.body.len()) as u64
}

/// An answer, counted.
fn answer(counters: &Counters, status: u16, body: &str) -> Vec<u8> {
    let text = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    counters
        .bytes_out
        .fetch_add(text.len() as u64, Ordering::Relaxed);
    text.into_bytes()
}

/// The bytes of upload `index` of client `client` on `route`: a pattern no two uploads
/// share. It holds no `\r`: s3s 0.14.1 fails a POST upload whose body has a `\r` at the end
/// of a network read followed by more than 64 KiB (its boundary buffer overflows).
pub fn file_bytes(route: Route, client: usize, index: usize, size: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64
        ^ ((client as u64) << 32)
        ^ (index as u64)
        ^ ((route as u64) << 48);
    let mut out = Vec::with_capacity(size);
    while out.len() < size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(size);
    for b in &mut out {
        if *b == b'\r' {
            *b = b'\n';
        }
    }
    out
}

fn key(route: Route, workload: Workload, client: usize, index: usize) -> String {
    let route = route.name().replace(' ', "-");
    format!("{route}/{}/c{client}-u{index}.bin", workload.size)
}

/// Runs `workload` through `route` and reads every upload back from the store.
pub fn run(
    app: &AppServer,
    store: &Bucket,
    presigner: &Presigner,
    route: Route,
    workload: Workload,
) -> Report {
    app.take();
    let started = Instant::now();
    let threads: Vec<_> = (0..workload.clients)
        .map(|client| {
            let app_addr = app.addr;
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                for index in 0..workload.uploads {
                    let bytes = file_bytes(route, client, index, workload.size);
                    let key = key(route, workload, client, index);
                    let begun = Instant::now();
                    let status = upload(app_addr, route, &key, &bytes)
                        .unwrap_or_else(|e| panic!("{} upload of {key}: {e}", route.name()));
                    latencies.push(begun.elapsed());
                    assert!(
                        status == 200 || status == 204,
                        "{} upload of {key}: {status}",
                        route.name()
                    );
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let wall = started.elapsed();
    latencies.sort();
    let (file_bytes_through_server, bytes_in, bytes_out, server_cpu, holds) = app.take();
    // A fast wrong path cannot win: every object holds exactly what was uploaded.
    for client in 0..workload.clients {
        for index in 0..workload.uploads {
            let key = key(route, workload, client, index);
            let get = store
                .get_object(&key)
                .presign(presigner, SystemTime::now())
                .unwrap();
            let got =
                http_client::send_with_timeout("GET", get.url(), &[], b"", Duration::from_secs(60))
                    .unwrap();
            assert_eq!(got.status, 200, "{key}");
            assert!(
                got.body == file_bytes(route, client, index, workload.size),
                "{key} read back different bytes"
            );
        }
    }
    Report {
        route,
        workload,
        file_bytes_through_server,
        bytes_in,
        bytes_out,
        server_cpu,
        wall,
        latencies,
        holds,
    }
}

/// One upload, as a client does it on `route`; the final status.
fn upload(app: SocketAddr, route: Route, key: &str, bytes: &[u8]) -> std::io::Result<u16> {
    let app_url = |path: &str| format!("http://{app}{path}");
    let timeout = Duration::from_secs(120);
    match route {
        Route::Relay => {
            let url = app_url(&format!("/relay/{key}"));
            Ok(http_client::send_with_timeout("PUT", &url, &[], bytes, timeout)?.status)
        }
        Route::PresignedPut => {
            let link = http_client::send_with_timeout(
                "GET",
                &app_url(&format!("/presign/put/{key}")),
                &[],
                b"",
                timeout,
            )?;
            let url = String::from_utf8_lossy(&link.body).into_owned();
            Ok(http_client::send_with_timeout("PUT", &url, &[], bytes, timeout)?.status)
        }
        Route::PresignedPost => {
            let path = format!("/presign/post/{key}?size={}", bytes.len());
            let form = http_client::send_with_timeout("GET", &app_url(&path), &[], b"", timeout)?;
            let text = String::from_utf8_lossy(&form.body).into_owned();
            let mut lines = text.lines();
            let url = lines.next().unwrap_or_default().to_owned();
            let fields: Vec<(&str, &str)> = lines.filter_map(|l| l.split_once('\t')).collect();
            post_form(&url, &fields, bytes)
        }
    }
}

/// A `multipart/form-data` POST of `fields` then the file, the file streamed as it is.
fn post_form(url: &str, fields: &[(&str, &str)], file: &[u8]) -> std::io::Result<u16> {
    let boundary = "----sigv4-presign-relay-bench";
    let mut prefix = String::new();
    for (name, value) in fields {
        prefix.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    prefix.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    ));
    let suffix = format!("\r\n--{boundary}--\r\n");
    let rest = url.strip_prefix("http://").unwrap_or(url);
    let (authority, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let target = if target.is_empty() { "/" } else { target };
    let mut stream = http_client::connect(authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let length = prefix.len() + file.len() + suffix.len();
    let head = format!(
        "POST {target} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: multipart/form-data; \
         boundary={boundary}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(prefix.as_bytes())?;
    stream.write_all(file)?;
    stream.write_all(suffix.as_bytes())?;
    let response: Response = http_client::read_response(&mut stream, false)?;
    Ok(response.status)
}
