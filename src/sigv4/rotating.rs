//! A presigner whose credentials can be replaced while other threads sign: for services
//! whose credentials expire and are refreshed (an IAM role, SSO, `credential_process`).

use std::sync::{Arc, PoisonError, RwLock};

use crate::error::Result;
use crate::sigv4::Timestamp;
use crate::sigv4::credentials::Credentials;
use crate::sigv4::presigned_url::PresignedUrl;
use crate::sigv4::presigner::Presigner;
use crate::sigv4::request::PresignRequest;

/// A [`Presigner`] that can be given new credentials while other threads sign with it.
///
/// Each presign takes the current presigner (a read lock held only to clone an `Arc`)
/// and signs with it, so a signature always pairs a key id with its own secret and
/// token. [`RotatingPresigner::rotate`] builds a new presigner (with empty caches: the
/// previous credentials' signing keys are never reused) and swaps it in; signatures under
/// way finish with the credentials they started with.
///
/// ```
/// use std::sync::Arc;
/// use sigv4_presign::{Credentials, PresignRequest, Presigner, RotatingPresigner};
///
/// let first = Credentials::new("ASIAFIRST", "secret-1")?.with_session_token("token-1")?;
/// let presigner = Arc::new(RotatingPresigner::new(Presigner::new(first, "eu-west-1", "s3")?));
///
/// // A refresh task hands it the next credentials…
/// let next = Credentials::new("ASIANEXT", "secret-2")?.with_session_token("token-2")?;
/// presigner.rotate(next)?;
///
/// // …and every thread that signs afterwards uses them.
/// let url = presigner.presign_now(&PresignRequest::get("https://b.s3.eu-west-1.amazonaws.com/k"))?;
/// assert!(url.url().contains("X-Amz-Credential=ASIANEXT%2F"));
/// # Ok::<(), sigv4_presign::Error>(())
/// ```
#[derive(Debug)]
pub struct RotatingPresigner {
    current: RwLock<Arc<Presigner>>,
}

impl RotatingPresigner {
    /// Starts with `presigner`; later credentials keep its region, service and settings.
    pub fn new(presigner: Presigner) -> Self {
        Self {
            current: RwLock::new(Arc::new(presigner)),
        }
    }

    /// The presigner in use now.
    pub fn current(&self) -> Arc<Presigner> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Replaces the credentials: the next presign uses them.
    ///
    /// Errors: none for credentials that [`Presigner::new`] accepted with the same scope;
    /// the result is kept for symmetry with it.
    pub fn rotate(&self, credentials: Credentials) -> Result<()> {
        let old = self.current();
        let next = Presigner::new(credentials, old.region(), old.service())?
            .with_settings(*old.settings());
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(next);
        Ok(())
    }

    /// [`Presigner::presign`] with the current credentials.
    pub fn presign(
        &self,
        request: &PresignRequest<'_>,
        time: impl Timestamp,
    ) -> Result<PresignedUrl> {
        let time = time.to_offset_date_time()?;
        self.current().presign(request, time)
    }

    /// [`Presigner::presign_now`] with the current credentials.
    #[cfg(any(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        feature = "js-clock"
    ))]
    pub fn presign_now(&self, request: &PresignRequest<'_>) -> Result<PresignedUrl> {
        self.current().presign_now(request)
    }

    /// Does not exist on `wasm32-unknown-unknown` without the `js-clock` feature: that
    /// target has no clock (a call fails to compile, saying so).
    #[cfg(all(
        feature = "std",
        target_arch = "wasm32",
        target_os = "unknown",
        not(feature = "js-clock")
    ))]
    pub fn presign_now<'r>(&self, request: &PresignRequest<'r>) -> Result<PresignedUrl>
    where
        PresignRequest<'r>: crate::sigv4::NoClockOnThisTarget,
    {
        let _ = request;
        Err(crate::error::Error::TimeOutOfRange)
    }
}

impl From<Presigner> for RotatingPresigner {
    fn from(presigner: Presigner) -> Self {
        Self::new(presigner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use time::macros::datetime;

    fn credentials(generation: usize) -> Credentials {
        Credentials::new(format!("AKID{generation}"), format!("secret{generation}"))
            .unwrap()
            .with_session_token(format!("token{generation}"))
            .unwrap()
    }

    /// Readers on two threads while a third rotates: every URL pairs a key id with its own
    /// token and secret (it verifies against exactly those credentials).
    #[test]
    fn signers_never_mix_credentials_while_rotating() {
        use crate::verify::{ReceivedRequest, Verifier};
        let rotating =
            RotatingPresigner::new(Presigner::new(credentials(0), "us-east-1", "s3").unwrap());
        let time = datetime!(2024-05-01 12:00 UTC);
        let request = PresignRequest::get("https://b.s3.amazonaws.com/k");
        let done = AtomicBool::new(false);
        let signed = AtomicUsize::new(0);
        let generations = 300;
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    let verifier = Verifier::new(
                        |id: &str| id.strip_prefix("AKID")?.parse().ok().map(credentials),
                        "us-east-1",
                        "s3",
                    )
                    .unwrap();
                    while !done.load(Ordering::Relaxed) {
                        let url = rotating.presign(&request, time).unwrap();
                        let target = &url.url()["https://b.s3.amazonaws.com".len()..];
                        let headers = [("host", "b.s3.amazonaws.com")];
                        let received = ReceivedRequest::new("GET", target, &headers);
                        if let Err(error) = verifier.verify(&received, time) {
                            // Stop everyone, then fail.
                            done.store(true, Ordering::Relaxed);
                            panic!("{error} for {}", url.redacted_url());
                        }
                        signed.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
            for generation in 1..=generations {
                rotating.rotate(credentials(generation)).unwrap();
            }
            // Let the readers sign with the last generation too before they stop.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            while signed.load(Ordering::Relaxed) < 100
                && !done.load(Ordering::Relaxed)
                && std::time::Instant::now() < deadline
            {
                std::thread::yield_now();
            }
            done.store(true, Ordering::Relaxed);
        });
        let last = rotating.presign(&request, time).unwrap();
        assert!(
            last.url()
                .contains(&format!("X-Amz-Credential=AKID{generations}%2F"))
        );
        assert!(last.url().contains(&format!("token{generations}")));
    }

    #[test]
    fn new_credentials_start_with_new_keys_and_keep_the_scope() {
        use crate::sigv4::settings::{SessionTokenMode, Settings};
        let settings =
            Settings::aws_service().with_session_token(SessionTokenMode::SignedListedLast);
        let rotating: RotatingPresigner = Presigner::new(credentials(1), "eu-west-1", "sts")
            .unwrap()
            .with_settings(settings)
            .into();
        let time = datetime!(2024-05-01 12:00 UTC);
        let request =
            PresignRequest::get("https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity");
        let before = rotating.presign(&request, time).unwrap();
        rotating.rotate(credentials(2)).unwrap();
        let after = rotating.presign(&request, time).unwrap();
        let fresh = Presigner::new(credentials(2), "eu-west-1", "sts")
            .unwrap()
            .with_settings(settings)
            .presign(&request, time)
            .unwrap();
        assert_eq!(
            after.url(),
            fresh.url(),
            "the same as a presigner made afresh"
        );
        assert_ne!(before.signature(), after.signature());
        let current = rotating.current();
        assert_eq!((current.region(), current.service()), ("eu-west-1", "sts"));
        assert_eq!(*current.settings(), settings);
    }
}
