#!/bin/sh
# The no-op deploy end to end, build check included, against a local moto server: with
# sls-rs's own check of sources, recipe and environment (src/build/fresh.rs), and with that
# check defeated so cargo lambda's up-to-date check runs (a CARGO_* variable set to the shell's
# pid, new every run, makes sls-rs ask cargo; cargo finds nothing to compile). Needs hyperfine
# and the venv from ./install.sh.
#
#   sh benches/noop.sh
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/sls-rs
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/bench-projects}
. benches/moto.sh
"$bin" new "$work/demo" --template http-api --yes >/dev/null 2>&1
cd "$work/demo"
"$bin" build >/dev/null 2>&1
"$bin" deploy --yes >/dev/null 2>&1
hyperfine --warmup 2 --runs 20 \
    "exec $bin deploy --yes" "CARGO_SLS_BENCH=\$\$ exec $bin deploy --yes" \
    "exec $bin build" "CARGO_SLS_BENCH=\$\$ exec $bin build" \
    "exec $bin deploy --yes --skip-build"
