//! The library on `wasm32-unknown-unknown`, run as an edge runtime runs it: `tests/wasm/`
//! is a cdylib built for that target (which the test adds with rustup), which Node (18 or
//! later) loads and asks to sign the S3 documentation's example (`tests/wasm/run.mjs`).

use std::path::Path;
use std::process::Command;

#[test]
fn the_wasm_build_signs_the_s3_documentation_example_under_node() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target_dir = root.join("target/wasm-test");
    // The target, installed as the SeaweedFS tests install their server: on first use.
    let rustup = Command::new("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .output();
    assert!(
        rustup.as_ref().is_ok_and(|out| out.status.success()),
        "`rustup target add wasm32-unknown-unknown` failed: {rustup:?}"
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--manifest-path",
        ])
        .arg(root.join("tests/wasm/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "building tests/wasm for wasm32-unknown-unknown failed (is the target installed? \
         rustup target add wasm32-unknown-unknown)"
    );
    let wasm = target_dir.join("wasm32-unknown-unknown/release/sigv4_presign_wasm_test.wasm");
    let out = Command::new("node")
        .arg(root.join("tests/wasm/run.mjs"))
        .arg(&wasm)
        .output()
        .expect("node runs (Node 18 or later)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("ok: the wasm build ("), "{stdout}");
    // A whole signer in well under 200 KB.
    let size = std::fs::metadata(&wasm).unwrap().len();
    assert!(size < 200_000, "{size} bytes");
}
