//! Heap allocations per presign, counted by a global allocator: a reused presigner makes at
//! most two (the URL, and one more), and the common S3 GET makes exactly one, the URL.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use sigv4_presign::s3::{Bucket, ChecksumAlgorithm};
use sigv4_presign::{Credentials, PresignRequest, Presigner};
use time::macros::datetime;

struct Counting;

std::thread_local! {
    /// Allocations made by this thread: the test harness's own threads allocate now and
    /// then, and must not count.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: during thread teardown the counter may be gone already.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded to the system allocator unchanged; only a counter is added.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` through this allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as for `alloc` and `dealloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations per call of `f` on this thread, over many calls.
fn per_call(mut f: impl FnMut()) -> f64 {
    f(); // warm the key cache
    let before = ALLOCATIONS.with(Cell::get);
    for _ in 0..1000 {
        f();
    }
    (ALLOCATIONS.with(Cell::get) - before) as f64 / 1000.0
}

#[test]
fn allocations_per_presign() {
    let time = datetime!(2013-05-24 0:00 UTC);
    let presigner = Presigner::new(
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let get = PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt")
        .expires_in(Duration::from_secs(86400));
    let s3_get = per_call(|| drop(presigner.presign(&get, time).unwrap()));
    assert_eq!(s3_get, 1.0, "an S3 GET allocates the URL and nothing else");
    // Each call in a second of its own: the per-second state is made on the stack.
    let mut second = 0;
    let new_seconds = per_call(|| {
        second += 1;
        let t = time + time::Duration::seconds(second);
        drop(presigner.presign(&get, t).unwrap())
    });
    assert_eq!(new_seconds, 1.0, "a new second allocates nothing more");

    // A presigner: one allocation (its auth text), and one for cloning the credentials.
    let creds = Credentials::new("AKIAIOSFODNN7EXAMPLE", "secret").unwrap();
    let new_presigner =
        per_call(|| drop(Presigner::new(creds.clone(), "us-east-1", "s3").unwrap()));
    assert_eq!(new_presigner, 2.0);

    let with_params =
        PresignRequest::get("https://examplebucket.s3.amazonaws.com/test.txt?versionId=v1")
            .query(
                "response-content-disposition",
                "attachment; filename=\"a b.pdf\"",
            )
            .query("response-cache-control", "no-cache");
    let params = per_call(|| drop(presigner.presign(&with_params, time).unwrap()));
    assert!(params <= 2.0, "{params}");

    let token = Presigner::new(
        Credentials::new("AKIAIOSFODNN7EXAMPLE", "secret")
            .unwrap()
            .with_session_token("FwoGZXIvYXdzEXAMPLE")
            .unwrap(),
        "us-east-1",
        "s3",
    )
    .unwrap();
    let with_token = per_call(|| drop(token.presign(&get, time).unwrap()));
    assert_eq!(with_token, 1.0);

    let bucket = Bucket::new("examplebucket", "us-east-1").unwrap();
    let put = per_call(|| {
        drop(
            bucket
                .put_object("a.jpg")
                .checksum(ChecksumAlgorithm::Crc32c, "yZRlqg==")
                .presign(&presigner, time)
                .unwrap(),
        )
    });
    println!(
        "allocations per presign: s3 get {s3_get}, 3 query params {params}, session token {with_token}, s3 put with checksum (S3Request builder included) {put}"
    );
}
