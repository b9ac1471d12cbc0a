//! A minimal HTTP/1.1 client over a plain TCP connection: it sends a URL's path and query
//! exactly as written (the tests need that; general clients normalise), one request per
//! connection. The tests and the `relay_vs_presigned` example use it.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

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

/// Sends one request to `url` (http only), waiting at most `timeout` for each read. The
/// request target is the URL's path and query, byte for byte; the Host header is the URL's
/// authority. Hosts under `localhost` resolve to 127.0.0.1.
pub fn send_with_timeout(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    timeout: Duration,
) -> std::io::Result<Response> {
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let split = rest.find('/').unwrap_or(rest.len());
    let (authority, target) = rest.split_at(split);
    let target = if target.is_empty() { "/" } else { target };
    let mut stream = connect(authority)?;
    stream.set_read_timeout(Some(timeout))?;
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
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    // Until the server closes, or the response is complete (some servers keep the
    // connection open in spite of `Connection: close`).
    while !is_complete(&raw, method == "HEAD") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    Ok(parse_response(&raw, method == "HEAD"))
}

/// A connection to `authority` (`host:port`, port 80 by default); `localhost` and its
/// subdomains are 127.0.0.1.
pub fn connect(authority: &str) -> std::io::Result<TcpStream> {
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().map_err(std::io::Error::other)?),
        None => (authority, 80u16),
    };
    if host == "localhost" || host.ends_with(".localhost") {
        TcpStream::connect(("127.0.0.1", port))
    } else {
        TcpStream::connect((host, port))
    }
}

/// Reads one response from `stream`: its head, then the body the head announces.
pub fn read_response(stream: &mut TcpStream, head_only: bool) -> std::io::Result<Response> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    while !is_complete(&raw, head_only) {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    Ok(parse_response(&raw, head_only))
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
