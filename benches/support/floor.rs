//! The cryptographic floor of a presign: what no SigV4 presigner can avoid.
//!
//! SHA-256 of the canonical request, then one HMAC-SHA256 of the string to sign under an
//! already derived key; and the same plus the four HMACs that derive the key.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// SHA-256 of `canonical_request` and HMAC of `string_to_sign` under `key`.
pub fn floor(
    canonical_request: &[u8],
    string_to_sign: &[u8],
    key: &[u8; 32],
) -> ([u8; 32], [u8; 32]) {
    let hash: [u8; 32] = Sha256::digest(canonical_request).into();
    (hash, hmac(key, string_to_sign))
}

/// [`floor`] plus the derivation of the key from `"AWS4" + secret`.
pub fn floor_with_derivation(
    canonical_request: &[u8],
    string_to_sign: &[u8],
    prefixed_secret: &[u8],
    date: &[u8],
    region: &[u8],
    service: &[u8],
) -> ([u8; 32], [u8; 32]) {
    let k_date = hmac(prefixed_secret, date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    let key = hmac(&k_service, b"aws4_request");
    floor(canonical_request, string_to_sign, &key)
}
