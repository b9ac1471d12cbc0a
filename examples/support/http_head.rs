//! What the example servers share: a capped pool of connections, and a request head read
//! within one deadline and one size cap, whose `Content-Length` is read strictly. (The
//! standard library only; a real service would use its HTTP framework's limits.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The most connections served at once; more are answered 503 at once and closed.
pub const MAX_CONNECTIONS: usize = 64;

/// How long a client has to send its whole request head.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// The most request headers accepted.
const MAX_HEADERS: usize = 100;

/// A request head.
#[derive(Debug)]
pub struct Head {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

/// A refusal: the status and its reason.
pub type Refusal = (u16, &'static str);

impl Head {
    /// The value of `name`, if the head holds it once; `Err` if it holds it twice.
    pub fn header(&self, name: &str) -> Result<Option<&str>, Refusal> {
        let mut found = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str());
        let first = found.next();
        if found.next().is_some() {
            return Err((400, "a header that must appear once appears twice"));
        }
        Ok(first)
    }

    /// The body's length: `Content-Length` read strictly (digits only, once), no
    /// `Transfer-Encoding`; 0 without a body.
    pub fn content_length(&self) -> Result<u64, Refusal> {
        if self.header("transfer-encoding")?.is_some() {
            return Err((411, "send the body with a Content-Length"));
        }
        match self.header("content-length")? {
            None => Ok(0),
            Some(text)
                if !text.is_empty()
                    && text.len() <= 19
                    && text.bytes().all(|b| b.is_ascii_digit()) =>
            {
                text.parse().map_err(|_| (400, "malformed Content-Length"))
            }
            Some(_) => Err((400, "malformed Content-Length")),
        }
    }
}

/// Serves each connection of `listener` on a thread of its own, at most
/// [`MAX_CONNECTIONS`] at once.
pub fn serve(listener: TcpListener, handle: impl Fn(TcpStream) + Send + Sync + 'static) {
    let handle = Arc::new(handle);
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming().flatten() {
        if open.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::AcqRel);
            let _ = refuse(stream, (503, "too many connections, try again"));
            continue;
        }
        let (handle, open) = (Arc::clone(&handle), Arc::clone(&open));
        std::thread::spawn(move || {
            handle(stream);
            open.fetch_sub(1, Ordering::AcqRel);
        });
    }
}

/// Reads a request head of at most `max_bytes` within [`HEAD_DEADLINE`], and returns it
/// with the reader positioned at the body.
pub fn read_head(
    stream: &TcpStream,
    max_bytes: u64,
) -> Result<(Head, BufReader<TcpStream>), Refusal> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let io = |_| (408, "the request head did not arrive in time");
    let mut reader = BufReader::new(stream.try_clone().map_err(io)?);
    let mut used = 0u64;
    let mut next_line = |reader: &mut BufReader<TcpStream>| -> Result<String, Refusal> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err((408, "the request head did not arrive in time"));
        }
        reader.get_ref().set_read_timeout(Some(left)).map_err(io)?;
        let mut line = Vec::new();
        let read = reader
            .by_ref()
            .take(max_bytes.saturating_sub(used))
            .read_until(b'\n', &mut line)
            .map_err(io)?;
        used += read as u64;
        if read == 0 || !line.ends_with(b"\n") {
            return Err((431, "request head too large or cut short"));
        }
        String::from_utf8(line).map_err(|_| (400, "the request head is not UTF-8"))
    };
    let request_line = next_line(&mut reader)?;
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target), Some(_version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err((400, "bad request line"));
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        let line = next_line(&mut reader)?;
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err((431, "too many headers"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err((400, "a header line has no colon"));
        };
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err((400, "malformed header name"));
        }
        headers.push((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()));
    }
    // The body, if any, gets its own deadline from the handler.
    let _ = reader.get_ref().set_read_timeout(Some(HEAD_DEADLINE));
    Ok((
        Head {
            method,
            target,
            headers,
        },
        reader,
    ))
}

/// Answers `refusal` as plain text and closes.
pub fn refuse(mut stream: TcpStream, (status, reason): Refusal) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} Refused\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{reason}\n",
        reason.len() + 1
    )
}
