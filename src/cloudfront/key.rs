//! The keys CloudFront signatures are made and checked with: RSA-2048 (PKCS#1 v1.5) and
//! ECDSA P-256, each over SHA-1 (CloudFront's default) or SHA-256, read from PEM.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::ecdsa::signature::{SignatureEncoding, Signer, Verifier};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use sha1::Digest;

use crate::cloudfront::CloudFrontError;

/// The hash a CloudFront signature is made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HashAlgorithm {
    /// SHA-1: CloudFront's default, which URLs do not name.
    #[default]
    Sha1,
    /// SHA-256: named in the URL (`Hash-Algorithm=SHA256`) or cookie
    /// (`CloudFront-Hash-Algorithm=SHA256`); what FIPS systems, which refuse SHA-1
    /// signing, need.
    Sha256,
}

impl HashAlgorithm {
    /// `SHA1` or `SHA256`, as CloudFront and `aws cloudfront sign --hash-algorithm` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "SHA1",
            HashAlgorithm::Sha256 => "SHA256",
        }
    }
}

impl FromStr for HashAlgorithm {
    type Err = CloudFrontError;

    fn from_str(text: &str) -> Result<Self, CloudFrontError> {
        match text {
            "SHA1" => Ok(HashAlgorithm::Sha1),
            "SHA256" => Ok(HashAlgorithm::Sha256),
            _ => Err(CloudFrontError::InvalidPolicy(
                "the hash algorithm is SHA1 or SHA256",
            )),
        }
    }
}

/// A private key for signing CloudFront URLs and cookies: RSA-2048 or ECDSA P-256, the
/// two kinds CloudFront takes. Parse it once and reuse it; it is wiped when dropped, and `Debug` shows its kind
/// only.
///
/// ```
/// use sigv4_presign::cloudfront::PrivateKey;
///
/// let pem = include_str!("../../tests/vectors/cloudfront/ec-sec1.pem");
/// let key = PrivateKey::from_pem(pem)?;
/// assert_eq!(format!("{key:?}"), "PrivateKey(ECDSA P-256)");
/// # Ok::<(), sigv4_presign::cloudfront::CloudFrontError>(())
/// ```
pub struct PrivateKey(PrivateInner);

enum PrivateInner {
    Rsa(Box<RsaKeys>),
    Ecdsa(p256::ecdsa::SigningKey),
}

/// An RSA key, ready to sign over either hash.
struct RsaKeys {
    sha1: rsa::pkcs1v15::SigningKey<sha1::Sha1>,
    sha256: rsa::pkcs1v15::SigningKey<sha2_next::Sha256>,
    bits: usize,
}

impl PrivateKey {
    /// Reads a private key from PEM, its type told by the label: `RSA PRIVATE KEY`
    /// (PKCS#1), `EC PRIVATE KEY` (SEC1, P-256) or `PRIVATE KEY` (PKCS#8, RSA or P-256).
    ///
    /// Errors: [`CloudFrontError::InvalidKey`], saying what was found instead (an
    /// encrypted key, a public key, another curve, an RSA key of another size than 2048
    /// bits).
    pub fn from_pem(pem: &str) -> Result<Self, CloudFrontError> {
        let invalid = |reason| CloudFrontError::InvalidKey {
            what: "private key",
            reason,
        };
        let pem = skip_ec_parameters(pem);
        let label = pem_label(pem).ok_or(invalid(
            "no PEM block: give the key file's text, from -----BEGIN … PRIVATE KEY-----",
        ))?;
        let inner = match label {
            "RSA PRIVATE KEY" => rsa_key(
                rsa::PrivateKey::from_pkcs1_pem(pem)
                    .map_err(|_| invalid("the RSA PRIVATE KEY block is not a PKCS#1 RSA key"))?,
            )?,
            "EC PRIVATE KEY" => PrivateInner::Ecdsa(
                p256::SecretKey::from_sec1_pem(pem)
                    .map(|key| p256::ecdsa::SigningKey::from(&key))
                    .map_err(|_| {
                        invalid("the EC PRIVATE KEY block is not a P-256 key (CloudFront takes P-256 only)")
                    })?,
            ),
            "PRIVATE KEY" => match rsa::PrivateKey::from_pkcs8_pem(pem) {
                Ok(key) => rsa_key(key)?,
                Err(_) => PrivateInner::Ecdsa(
                    p256::ecdsa::SigningKey::from_pkcs8_pem(pem).map_err(|_| {
                        invalid("the PRIVATE KEY block is neither an RSA nor a P-256 key")
                    })?,
                ),
            },
            "ENCRYPTED PRIVATE KEY" => {
                return Err(invalid(
                    "the key is encrypted: decrypt it first (openssl pkey -in KEY -out PLAIN)",
                ));
            }
            "PUBLIC KEY" | "RSA PUBLIC KEY" => {
                return Err(invalid(
                    "this is a public key: signing needs the private key of the pair",
                ));
            }
            _ => return Err(invalid("the PEM block is not a private key")),
        };
        Ok(Self(inner))
    }

    /// The public key of the pair, as CloudFront's key group holds it.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(match &self.0 {
            PrivateInner::Rsa(keys) => {
                let private: &rsa::PrivateKey = keys.sha1.as_ref();
                PublicInner::Rsa(private.as_public_key().clone())
            }
            PrivateInner::Ecdsa(key) => PublicInner::Ecdsa(*key.verifying_key()),
        })
    }

    /// Whether it is an ECDSA key (else RSA).
    pub fn is_ecdsa(&self) -> bool {
        matches!(self.0, PrivateInner::Ecdsa(_))
    }

    /// Signs `message` (the policy JSON) over `hash`: PKCS#1 v1.5 for RSA, DER-encoded
    /// ECDSA (RFC 6979 nonces) for P-256.
    pub(crate) fn sign(
        &self,
        message: &[u8],
        hash: HashAlgorithm,
    ) -> Result<Vec<u8>, CloudFrontError> {
        let failed = |_| CloudFrontError::SigningFailed;
        Ok(match (&self.0, hash) {
            (PrivateInner::Rsa(keys), HashAlgorithm::Sha1) => {
                let signature: rsa::pkcs1v15::Signature =
                    keys.sha1.try_sign(message).map_err(failed)?;
                signature.to_vec()
            }
            (PrivateInner::Rsa(keys), HashAlgorithm::Sha256) => {
                let signature: rsa::pkcs1v15::Signature =
                    keys.sha256.try_sign(message).map_err(failed)?;
                signature.to_vec()
            }
            (PrivateInner::Ecdsa(key), HashAlgorithm::Sha256) => {
                let signature: p256::ecdsa::Signature = key.try_sign(message).map_err(failed)?;
                signature.to_der().as_bytes().to_vec()
            }
            (PrivateInner::Ecdsa(key), HashAlgorithm::Sha1) => {
                // The 20-byte digest is widened to the curve's size, as ECDSA specifies.
                let digest = sha1::Sha1::digest(message);
                let signature: p256::ecdsa::Signature =
                    key.sign_prehash(&digest).map_err(failed)?;
                signature.to_der().as_bytes().to_vec()
            }
        })
    }
}

/// An RSA key CloudFront accepts: 2048 bits, no more and no less.
fn rsa_key(key: rsa::PrivateKey) -> Result<PrivateInner, CloudFrontError> {
    let bits = key.size() * 8;
    if bits != 2048 {
        return Err(CloudFrontError::InvalidKey {
            what: "private key",
            reason: "CloudFront takes RSA keys of exactly 2048 bits (or ECDSA P-256): \
                     make one with openssl genrsa 2048",
        });
    }
    Ok(PrivateInner::Rsa(Box::new(RsaKeys {
        sha1: rsa::pkcs1v15::SigningKey::new(key.clone()),
        sha256: rsa::pkcs1v15::SigningKey::new(key),
        bits,
    })))
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            PrivateInner::Rsa(keys) => write!(f, "PrivateKey(RSA {})", keys.bits),
            PrivateInner::Ecdsa(_) => f.write_str("PrivateKey(ECDSA P-256)"),
        }
    }
}

/// A public key, which verifies CloudFront signatures (for local development, services
/// that emulate CloudFront, and tests).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(PublicInner);

#[derive(Clone, PartialEq, Eq)]
enum PublicInner {
    Rsa(rsa::PublicKey),
    Ecdsa(p256::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// Reads a public key from PEM (`BEGIN PUBLIC KEY`, SubjectPublicKeyInfo): RSA or P-256.
    ///
    /// Errors: [`CloudFrontError::InvalidKey`].
    pub fn from_pem(pem: &str) -> Result<Self, CloudFrontError> {
        let invalid = |reason| CloudFrontError::InvalidKey {
            what: "public key",
            reason,
        };
        if pem_label(pem) != Some("PUBLIC KEY") {
            return Err(invalid(
                "give the public key as -----BEGIN PUBLIC KEY----- (openssl pkey -pubout)",
            ));
        }
        if let Ok(key) = rsa::PublicKey::from_public_key_pem(pem) {
            if key.size() * 8 != 2048 {
                return Err(invalid("CloudFront takes RSA keys of exactly 2048 bits"));
            }
            return Ok(Self(PublicInner::Rsa(key)));
        }
        p256::ecdsa::VerifyingKey::from_public_key_pem(pem)
            .map(|key| Self(PublicInner::Ecdsa(key)))
            .map_err(|_| invalid("the PUBLIC KEY block is neither an RSA nor a P-256 key"))
    }

    /// Whether `signature` is this key's signature of `message` over `hash`.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8], hash: HashAlgorithm) -> bool {
        match (&self.0, hash) {
            (PublicInner::Rsa(key), HashAlgorithm::Sha1) => {
                rsa::pkcs1v15::Signature::try_from(signature).is_ok_and(|s| {
                    rsa::pkcs1v15::VerifyingKey::<sha1::Sha1>::new(key.clone())
                        .verify(message, &s)
                        .is_ok()
                })
            }
            (PublicInner::Rsa(key), HashAlgorithm::Sha256) => {
                rsa::pkcs1v15::Signature::try_from(signature).is_ok_and(|s| {
                    rsa::pkcs1v15::VerifyingKey::<sha2_next::Sha256>::new(key.clone())
                        .verify(message, &s)
                        .is_ok()
                })
            }
            (PublicInner::Ecdsa(key), hash) => {
                let Ok(signature) = p256::ecdsa::Signature::from_der(signature) else {
                    return false;
                };
                match hash {
                    HashAlgorithm::Sha256 => key.verify(message, &signature).is_ok(),
                    HashAlgorithm::Sha1 => key
                        .verify_prehash(&sha1::Sha1::digest(message), &signature)
                        .is_ok(),
                }
            }
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            PublicInner::Rsa(key) => write!(f, "PublicKey(RSA {})", key.size() * 8),
            PublicInner::Ecdsa(_) => f.write_str("PublicKey(ECDSA P-256)"),
        }
    }
}

/// The text from the key's block on: `openssl ecparam -genkey` without `-noout` writes an
/// `EC PARAMETERS` block first, which OpenSSL's loaders skip.
fn skip_ec_parameters(pem: &str) -> &str {
    const PARAMETERS_END: &str = "-----END EC PARAMETERS-----";
    if pem_label(pem) == Some("EC PARAMETERS")
        && let Some(at) = pem.find(PARAMETERS_END)
    {
        return pem[at + PARAMETERS_END.len()..].trim_start();
    }
    pem
}

/// The label of the first PEM block: `RSA PRIVATE KEY` of `-----BEGIN RSA PRIVATE KEY-----`.
fn pem_label(pem: &str) -> Option<&str> {
    let start = pem.find("-----BEGIN ")? + "-----BEGIN ".len();
    let rest = &pem[start..];
    let end = rest.find("-----")?;
    Some(&rest[..end])
}
