//! A service whose credentials expire and are refreshed (an IAM role, SSO, a
//! `credential_process`): one presigner shared by the threads that sign, and a refresh
//! thread that hands it the next credentials before the current ones expire.
//!
//! `cargo run --example rotating_credentials` simulates the refreshes (new temporary
//! credentials every second, valid for three); with `REAL=1` it reads them as the AWS
//! CLI would (environment, profile, `credential_process`) and refreshes five minutes
//! before they expire.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use sigv4_presign::credentials::{AwsConfig, Env};
use sigv4_presign::{Credentials, PresignRequest, Presigner, RotatingPresigner};
use time::OffsetDateTime;

/// The next credentials: from the AWS configuration, or made up for the demonstration.
fn fetch(generation: usize, real: bool) -> Result<Credentials, Box<dyn std::error::Error>> {
    if real {
        return Ok(AwsConfig::load(Env::from_process())?.credentials()?.0);
    }
    let expires = OffsetDateTime::now_utc() + Duration::from_secs(3);
    Ok(Credentials::new(
        format!("ASIADEMO{generation:04}"),
        format!("demo-secret-{generation}"),
    )?
    .with_session_token(format!("demo-token-{generation}"))?
    .with_expiration(expires))
}

/// How long to wait before refreshing credentials that expire at `expires`.
fn refresh_in(credentials: &Credentials, margin: Duration) -> Duration {
    let Some(expires) = credentials.expiration() else {
        return Duration::from_secs(3600);
    };
    let left = expires - OffsetDateTime::now_utc() - margin;
    Duration::try_from(left).unwrap_or(Duration::ZERO)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let real = std::env::var_os("REAL").is_some();
    let margin = if real {
        Duration::from_secs(300)
    } else {
        Duration::from_secs(2)
    };
    let first = fetch(0, real)?;
    let presigner = Arc::new(RotatingPresigner::new(Presigner::new(
        first.clone(),
        "eu-west-1",
        "s3",
    )?));
    let stop = Arc::new(AtomicBool::new(false));

    // The refresh thread.
    let refresher = {
        let (presigner, stop) = (Arc::clone(&presigner), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut current = first;
            let mut generation = 0;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(refresh_in(&current, margin).min(Duration::from_millis(250)));
                if refresh_in(&current, margin) > Duration::ZERO {
                    continue;
                }
                generation += 1;
                match fetch(generation, real) {
                    Ok(next) => {
                        eprintln!("refresh: now signing with {}", next.access_key_id());
                        presigner.rotate(next.clone()).expect("same scope");
                        current = next;
                    }
                    // Keep signing with what there is; the next turn tries again.
                    Err(error) => eprintln!("refresh failed: {error}"),
                }
            }
        })
    };

    // The threads that hand out links.
    let signed = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|worker| {
            let (presigner, stop, signed) = (
                Arc::clone(&presigner),
                Arc::clone(&stop),
                Arc::clone(&signed),
            );
            std::thread::spawn(move || {
                let request =
                    PresignRequest::get("https://my-bucket.s3.eu-west-1.amazonaws.com/report.pdf")
                        .expires_in(Duration::from_secs(600))
                        // Never hand out a link that outlives the credentials.
                        .clamp_to_credentials();
                while !stop.load(Ordering::Relaxed) {
                    match presigner.presign_now(&request) {
                        Ok(url) => {
                            if signed.fetch_add(1, Ordering::Relaxed) % 20_000 == 0 {
                                println!("worker {worker}: {}", url.redacted_url());
                            }
                        }
                        Err(error) => eprintln!("worker {worker}: {error}"),
                    }
                }
            })
        })
        .collect();

    std::thread::sleep(Duration::from_secs(if real { 10 } else { 4 }));
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().expect("worker");
    }
    refresher.join().expect("refresher");
    println!("signed {} URLs", signed.load(Ordering::Relaxed));
    Ok(())
}
