//! The clock the `*_now` functions read: the system's; on `wasm32-unknown-unknown`, which
//! has none, JavaScript's `Date.now()` with the `js-clock` feature. Without it those
//! functions fail to compile there with a note saying so (rather than trap when called).

#[cfg(any(
    not(all(target_arch = "wasm32", target_os = "unknown")),
    feature = "js-clock"
))]
use time::OffsetDateTime;

/// The current time.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The current time, from JavaScript's `Date.now()` (milliseconds since the epoch).
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "js-clock"))]
pub(crate) fn now() -> OffsetDateTime {
    let millis = js_sys::Date::now();
    // `Date.now()` is an integral number of milliseconds within ±8.64e15.
    OffsetDateTime::from_unix_timestamp_nanos(millis as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Implemented by nothing: the bound of the `*_now` functions on `wasm32-unknown-unknown`
/// without the `js-clock` feature, which turns a call into a compile error that says why.
#[cfg(all(
    target_arch = "wasm32",
    target_os = "unknown",
    not(feature = "js-clock")
))]
#[diagnostic::on_unimplemented(
    message = "`presign_now` needs a clock, and wasm32-unknown-unknown has none",
    label = "no clock on this target",
    note = "enable the `js-clock` feature (JavaScript's `Date.now()`: browsers, Node, Cloudflare Workers), or pass the time to `presign`"
)]
pub trait NoClockOnThisTarget {}
