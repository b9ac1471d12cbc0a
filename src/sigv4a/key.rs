//! SigV4a's key pair, derived from the credentials as aws-c-auth specifies: an HMAC-SHA256
//! key derivation in counter mode (NIST SP 800-108) keyed by `"AWS4A"` + secret, whose
//! output, plus one, is the P-256 private scalar.
//!
//! ```text
//! for counter in 1..=254:
//!     k0 = HMAC-SHA256("AWS4A" + secret,
//!                      00000001 || "AWS4-ECDSA-P256-SHA256" || 00 || access key id || counter || 00000100)
//!     if k0 <= n - 2: the private key is k0 + 1
//! ```
//!
//! The derivation costs one HMAC and a scalar multiplication; a presigner does it once.

use core::fmt;

use p256::SecretKey;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey as EcdsaKey, VerifyingKey};
use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::sigv4::params::ALGORITHM_SIGV4A;
use crate::sigv4::{Credentials, Sha256Stream, constant_time_eq, push_hex};
use crate::sigv4a::der;

/// The derivation's fixed length field: 256 bits, big-endian.
const OUTPUT_BITS: [u8; 4] = 256u32.to_be_bytes();
/// The derivation's counter field for its one block.
const BLOCK: [u8; 4] = 1u32.to_be_bytes();
/// aws-c-auth gives up after this many counters (the chance of needing a second is about
/// 2^-32).
const MAX_COUNTER: u8 = 254;

/// The ECDSA P-256 private key SigV4a signs with, derived from credentials.
///
/// The scalar is wiped when the key is dropped; `Debug` shows the public key only.
/// Signatures are deterministic (RFC 6979): the same key and string to sign give the same
/// signature, and signing needs no random number generator, so it works without `std`.
///
/// ```
/// use sigv4_presign::Credentials;
/// use sigv4_presign::sigv4a::SigningKey;
///
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
/// let key = SigningKey::derive(&creds)?;
/// // The public key of AWS's SigV4a test suite.
/// assert_eq!(
///     hex::encode(key.public_key().x()),
///     "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1"
/// );
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Clone)]
pub struct SigningKey {
    key: EcdsaKey,
    public: PublicKey,
    /// Whose key it is.
    access_key_id: alloc::boxed::Box<str>,
    /// SHA-256 of the prepared `"AWS4A"` + secret key: tells the credentials it was
    /// derived from without holding anything secret-equivalent.
    secret_fingerprint: [u8; 32],
}

impl SigningKey {
    /// Derives the key of `credentials` (their access key id and secret; the session token
    /// plays no part).
    ///
    /// Errors: [`Error::NoSigV4aKey`] if no counter up to 254 gives a scalar in range,
    /// which no secret is known to do.
    pub fn derive(credentials: &Credentials) -> Result<Self> {
        let kdf_key = credentials.asymmetric_key();
        for counter in 1..=MAX_COUNTER {
            let mut mac = kdf_key.start();
            for part in [
                &BLOCK[..],
                ALGORITHM_SIGV4A.as_bytes(),
                &[0],
                credentials.access_key_id().as_bytes(),
                &[counter],
                &OUTPUT_BITS[..],
            ] {
                mac.update(part);
            }
            let mut candidate: [u8; 32] = kdf_key.finish(&mut mac);
            // k0 + 1, without a branch on the secret bytes.
            let mut carry = 1u16;
            for b in candidate.iter_mut().rev() {
                let sum = u16::from(*b) + carry;
                *b = sum as u8;
                carry = sum >> 8;
            }
            // `from_bytes` takes 0 < d < n, that is k0 + 1 <= n - 1: k0 <= n - 2.
            let secret = (carry == 0)
                .then(|| SecretKey::from_slice(&candidate).ok())
                .flatten();
            candidate.zeroize();
            if let Some(secret) = secret {
                let key = EcdsaKey::from(&secret);
                let public = PublicKey(*key.verifying_key());
                return Ok(Self {
                    key,
                    public,
                    access_key_id: credentials.access_key_id().into(),
                    secret_fingerprint: fingerprint(credentials),
                });
            }
        }
        Err(Error::NoSigV4aKey)
    }

    /// The access key id the key was derived with.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// Whether the key was derived from `credentials` (their access key id and secret).
    pub fn belongs_to(&self, credentials: &Credentials) -> bool {
        *self.access_key_id == *credentials.access_key_id()
            && constant_time_eq(&self.secret_fingerprint, &fingerprint(credentials))
    }

    /// The public key, which verifies this key's signatures.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// Signs `string_to_sign` (ECDSA P-256 over its SHA-256, RFC 6979 nonce); returns the
    /// DER signature in lower-case hex, as `X-Amz-Signature` carries it.
    pub(crate) fn sign_hex(&self, string_to_sign: &[u8], out: &mut alloc::string::String) {
        let signature: Signature = self.key.sign(string_to_sign);
        let (r, s) = signature.split_bytes();
        let mut der = [0u8; der::MAX_LEN];
        let len = der::encode(&r.into(), &s.into(), &mut der);
        push_hex(out, &der[..len]);
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("access_key_id", &self.access_key_id)
            .field("public_key", &self.public)
            .finish_non_exhaustive()
    }
}

/// SHA-256 of the prepared `"AWS4A"` + secret key of `credentials`.
fn fingerprint(credentials: &Credentials) -> [u8; 32] {
    let key = credentials.asymmetric_key();
    let mut hasher = Sha256Stream::new();
    for word in key.inner.iter().chain(&key.outer) {
        hasher.update(&word.to_be_bytes());
    }
    hasher.finalize()
}

/// A SigV4a public key: an ECDSA P-256 point.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// The key at the affine point (`x`, `y`), each 32 bytes big-endian (the `X` and `Y` of
    /// AWS's `public-key.json`).
    ///
    /// Errors: [`Error::InvalidPublicKey`] when the point is not on the curve.
    pub fn from_coordinates(x: &[u8; 32], y: &[u8; 32]) -> Result<Self> {
        let mut sec1 = [0u8; 65];
        sec1[0] = 0x04;
        sec1[1..33].copy_from_slice(x);
        sec1[33..].copy_from_slice(y);
        VerifyingKey::from_sec1_bytes(&sec1)
            .map(Self)
            .map_err(|_| Error::InvalidPublicKey)
    }

    /// The point's x coordinate, 32 bytes big-endian.
    pub fn x(&self) -> [u8; 32] {
        self.coordinate(true)
    }

    /// The point's y coordinate, 32 bytes big-endian.
    pub fn y(&self) -> [u8; 32] {
        self.coordinate(false)
    }

    fn coordinate(&self, x: bool) -> [u8; 32] {
        // The uncompressed SEC1 form: 0x04, x, y.
        let point = self.0.to_sec1_point(false);
        let bytes = point.as_bytes();
        let range = if x { 1..33 } else { 33..65 };
        let mut out = [0u8; 32];
        if let Some(value) = bytes.get(range) {
            out.copy_from_slice(value);
        }
        out
    }

    /// Whether `signature_hex` (a DER ECDSA signature in lower-case hex, as in
    /// `X-Amz-Signature`) is this key's signature of `string_to_sign`.
    ///
    /// Only the minimal DER encoding in lower-case hex is accepted, as AWS writes it.
    pub fn verify(&self, string_to_sign: &[u8], signature_hex: &str) -> bool {
        let text = signature_hex.as_bytes();
        if !text.len().is_multiple_of(2)
            || text.len() > 2 * der::MAX_LEN
            || !text
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        {
            return false;
        }
        let mut bytes = [0u8; der::MAX_LEN];
        let bytes = &mut bytes[..text.len() / 2];
        if hex::decode_to_slice(text, bytes).is_err() {
            return false;
        }
        let Some((r, s)) = der::decode(bytes) else {
            return false;
        };
        let Ok(signature) = Signature::from_scalars(r, s) else {
            return false;
        };
        self.0.verify(string_to_sign, &signature).is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("x", &hex::encode(self.x()))
            .field("y", &hex::encode(self.y()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Credentials {
        Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
    }

    #[test]
    fn derives_the_suites_public_key() {
        let key = SigningKey::derive(&example()).unwrap();
        assert_eq!(
            hex::encode(key.public_key().y()),
            "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518"
        );
        let shown = alloc::format!("{key:?}");
        assert!(
            shown.contains("b6618f6a") && !shown.contains("wJalr"),
            "{shown}"
        );
        // The session token plays no part; the access key id does.
        let with_token = example().with_session_token("token").unwrap();
        assert_eq!(
            SigningKey::derive(&with_token).unwrap().public_key(),
            key.public_key()
        );
        assert!(key.belongs_to(&with_token));
        let other_secret = Credentials::new("AKIDEXAMPLE", "another").unwrap();
        assert!(!key.belongs_to(&other_secret));
        let other_id =
            Credentials::new("AKIDEXAMPLF", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
        assert!(!key.belongs_to(&other_id));
        assert_ne!(
            SigningKey::derive(&other_id).unwrap().public_key(),
            key.public_key()
        );
    }

    #[test]
    fn verifies_the_suites_signature_and_its_own() {
        let key = SigningKey::derive(&example()).unwrap();
        let public =
            PublicKey::from_coordinates(&key.public_key().x(), &key.public_key().y()).unwrap();
        assert_eq!(&public, key.public_key());
        // aws-c-auth v4a get-vanilla, query-string-to-sign.txt and query-signature.txt.
        let sts = "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n\
                   890c4ed28c1a1ac10b5862719b537afbe392e987dc1aab1efa16fe7de41d3c81";
        let published = "3045022100b3246f8e1442dd58e73292ae1294720c3256ee58f6cea50f3a3f83b4a4b0331a0220329693f7745c9008a5887c0529ceccb0fae4e16d707b712ea66acdbaf963769a";
        assert!(public.verify(sts.as_bytes(), published));
        assert!(!public.verify(&sts.as_bytes()[1..], published));
        assert!(!public.verify(sts.as_bytes(), &published.to_uppercase()));
        assert!(!public.verify(sts.as_bytes(), &published[2..]));
        let mut ours = alloc::string::String::new();
        key.sign_hex(sts.as_bytes(), &mut ours);
        assert!(public.verify(sts.as_bytes(), &ours));
        let mut again = alloc::string::String::new();
        key.sign_hex(sts.as_bytes(), &mut again);
        assert_eq!(ours, again, "RFC 6979: deterministic");
        assert!(PublicKey::from_coordinates(&[1; 32], &[2; 32]).is_err());
    }
}
