#!/bin/sh
# Coverage-guided fuzzing of config loading → validation → plan → synthesis (libFuzzer through
# cargo-fuzz). Properties: no panic, no input taking over 5 s, no more than 1 GB resident, and
# every accepted config synthesizes a template that parses as JSON (fuzz/check.rs).
#
#   sh fuzz/run.sh [seconds]     default 1800 (30 minutes)
#
# cargo-fuzz wants nightly for `-Z` flags; nightly cannot be downloaded here, so the stable
# toolchain is told to accept them with RUSTC_BOOTSTRAP=1. No sanitizer: the code under test
# is safe Rust, and without ASan it runs ~3× more inputs per second. A finding lands in
# fuzz/artifacts/config/; copy it to fuzz/regressions/ (which `cargo test` checks) once fixed.
set -eu
cd "$(dirname "$0")"
seconds=${1:-1800}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz

# Seeds: every config the tests and templates hold, and past findings.
corpus=corpus/config
mkdir -p "$corpus"
for f in ../tests/hostile/* ../tests/fixtures/*.yaml regressions/*; do
    [ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$f")"
done
for f in $(find ../templates -name 'sls.yaml.tera'); do
    cp "$f" "$corpus/seed-$(echo "$f" | tr '/.' '__')"
done

RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none config "$corpus" -- \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -max_len=16384 -dict=sls.dict \
    -print_final_stats=1
