#!/usr/bin/env bash
# Builds the library (every feature, and the CLI) and runs its unit tests with the minimum
# supported Rust version, Cargo.toml's `rust-version`. The integration tests' dev-dependencies
# (s3s, axum, criterion, ...) need newer compilers, so the unit tests run from a copy of the
# manifest whose dev-dependencies are only those the unit tests use (hmac, time's macros).
# Usage: scripts/msrv-check.sh   (installs the toolchain with rustup if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
rustup toolchain list | grep -q "^$msrv" || rustup toolchain install "$msrv" --profile minimal
crate=target/msrv-crate
rm -rf "$crate" && mkdir -p "$crate"
ln -s ../../src "$crate/src"
ln -s ../../README.md "$crate/README.md"
cp Cargo.lock "$crate/"
python3 - "$crate/Cargo.toml" <<'PY'
import re, sys
manifest = open("Cargo.toml").read()
# Drop the test, bench and example targets, and every dev-dependency but those the unit
# tests use.
manifest = re.sub(r"\n\[\[(test|bench|example)\]\]\n(?:[^\[\n][^\n]*\n?)*", "\n", manifest)
start = manifest.index("[dev-dependencies]")
end = manifest.find("\n[", start + 1)
end = len(manifest) if end < 0 else end
dev = [line for line in manifest[start:end].splitlines()[1:]
       if re.match(r"(hmac|time) *=", line)]
manifest = manifest[:start] + "[dev-dependencies]\n" + "\n".join(dev) + "\n" + manifest[end:]
manifest += "\n[workspace]\n"
open(sys.argv[1], "w").write(manifest)
PY
export CARGO_TARGET_DIR=target/msrv
cargo "+$msrv" build --manifest-path "$crate/Cargo.toml" --all-features
cargo "+$msrv" test --manifest-path "$crate/Cargo.toml" --lib
cargo "+$msrv" test --manifest-path "$crate/Cargo.toml" --lib --all-features
echo "MSRV $msrv: the library builds with every feature and its unit tests pass"
