//! Exports for the Node test: the host writes inputs into memory from `alloc`, calls
//! `presign_get`, and reads the URL (or an error message) back.

use sigv4_presign::time::OffsetDateTime;
use sigv4_presign::{Credentials, PresignRequest, Presigner};
use std::time::Duration;

/// `len` bytes the host may write into.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let pointer = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    pointer
}

/// Presigns a GET of the URL at `url` (`url_len` bytes) for `expires` seconds at
/// `unix_seconds`, with AWS's documented example credentials in us-east-1 for S3. Returns
/// the address of `[len: u32 little-endian][text]`, the URL or `error: …`.
#[unsafe(no_mangle)]
pub extern "C" fn presign_get(url: *const u8, url_len: usize, unix_seconds: i64, expires: u32) -> *const u8 {
    // SAFETY: the host wrote `url_len` bytes at `url`, from `alloc`.
    let url = unsafe { std::slice::from_raw_parts(url, url_len) };
    let text = match sign(url, unix_seconds, expires) {
        Ok(url) => url,
        Err(error) => format!("error: {error}"),
    };
    let mut out = (text.len() as u32).to_le_bytes().to_vec();
    out.extend_from_slice(text.as_bytes());
    let pointer = out.as_ptr();
    std::mem::forget(out);
    pointer
}

fn sign(url: &[u8], unix_seconds: i64, expires: u32) -> Result<String, Box<dyn std::error::Error>> {
    let url = std::str::from_utf8(url)?;
    let credentials = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")?;
    let presigner = Presigner::new(credentials, "us-east-1", "s3")?;
    let request = PresignRequest::get(url).expires_in(Duration::from_secs(u64::from(expires)));
    let time = OffsetDateTime::from_unix_timestamp(unix_seconds)?;
    Ok(presigner.presign(&request, time)?.into_url())
}
