#!/bin/sh
# `sls-rs dev` with local services: sign-up → worker latency, queue throughput, start-up.
# Needs the venv install.sh creates (moto, boto3). Figures go into README.md with this command.
# A CARGO_TARGET_DIR in the environment is used for the generated project (e.g. the tests'
# target/generated-projects, whose dependencies are compiled already), not for sls-rs.
#
#   sh benches/dev.sh
set -eu
cd "$(dirname "$0")/.."
venv=${SLS_RS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/sls-rs}/venv
cargo build --release --quiet --target-dir "$PWD/target"
bin=$PWD/target/release/sls-rs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" new "$work/shop" --template event-driven --yes >/dev/null 2>&1
# Build the handlers once, so start-up is measured on a built project.
(cd "$work/shop" && cargo build --quiet)
"$venv/bin/python" benches/dev_flow.py "$bin" "$work/shop"
