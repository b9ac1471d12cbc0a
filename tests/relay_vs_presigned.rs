//! The relay-versus-presigned comparison (`examples/relay_vs_presigned.rs`) on a small
//! workload, checked for what holds on any machine: presigned uploads move no file bytes
//! through the application server while relayed ones move each file in and out again;
//! everything reads back byte for byte (checked inside `run`); relaying costs the
//! application server more CPU.

#[path = "../examples/support/http_client.rs"]
mod http_client;
#[path = "../examples/support/http_head.rs"]
#[allow(dead_code)]
mod http_head;
#[path = "../examples/support/relay_bench.rs"]
mod relay_bench;
#[path = "../examples/support/s3s_store.rs"]
mod s3s_store;

use relay_bench::{AppServer, Route, Workload};
use sigv4_presign::s3::{Bucket, Endpoint};
use sigv4_presign::{Credentials, Presigner};

#[test]
fn presigned_uploads_spare_the_application_server() {
    let (key_id, secret) = (
        "AKIARELAYTESTEXAMPLE",
        "relay/test+secret/EXAMPLEKEY0123456789",
    );
    let store = s3s_store::S3Server::start_with(key_id, secret, None, &["bench"]);
    let presigner =
        Presigner::new(Credentials::new(key_id, secret).unwrap(), "us-east-1", "s3").unwrap();
    let bucket = Bucket::new("bench", "us-east-1")
        .unwrap()
        .with_endpoint(Endpoint::custom(&store.ip_endpoint()).unwrap());
    let app = AppServer::start(2, bucket.clone(), &store.ip_endpoint(), presigner.clone());
    let workload = Workload {
        clients: 2,
        uploads: 3,
        size: 1 << 20,
    };
    let file_bytes = (workload.clients * workload.uploads * workload.size) as u64;

    let relay = relay_bench::run(&app, &bucket, &presigner, Route::Relay, workload);
    let put = relay_bench::run(&app, &bucket, &presigner, Route::PresignedPut, workload);
    let post = relay_bench::run(&app, &bucket, &presigner, Route::PresignedPost, workload);
    for report in [&relay, &put, &post] {
        assert_eq!(report.uploads(), 6, "{:?}", report.route);
        assert_eq!(
            report.holds.len(),
            6,
            "one request per upload: {:?}",
            report.route
        );
    }
    assert!(
        relay.file_bytes_through_server >= 2 * file_bytes,
        "{}",
        relay.file_bytes_through_server
    );
    assert!(relay.bytes_in >= file_bytes && relay.bytes_out >= file_bytes);
    for presigned in [&put, &post] {
        assert_eq!(
            presigned.file_bytes_through_server, 0,
            "{:?}",
            presigned.route
        );
        // Requests for links and the links themselves: a few hundred bytes per upload.
        assert!(
            presigned.bytes_in + presigned.bytes_out < 6 * 4096,
            "{:?}",
            presigned.route
        );
    }
    let cpu_measured = relay_bench::thread_cpu().is_some();
    assert!(
        cpu_measured || !cfg!(target_os = "linux"),
        "Linux gives each thread's CPU time"
    );
    if cpu_measured {
        assert!(
            relay.server_cpu > put.server_cpu,
            "{:?} vs {:?}",
            relay.server_cpu,
            put.server_cpu
        );
        assert!(
            relay.server_cpu > post.server_cpu,
            "{:?} vs {:?}",
            relay.server_cpu,
            post.server_cpu
        );
    }
}
