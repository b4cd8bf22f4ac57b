#!/bin/sh
# Start-up and packaging time of the release binary, measured with hyperfine
# (apt-get install hyperfine). Figures go into README.md with this command.
#
#   sh benches/startup.sh
set -eu
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null 2>&1 || { echo "benches/startup.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
cargo build --release --quiet
bin=$PWD/target/release/sls-rs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" new "$work/shop" --template event-driven --yes >/dev/null 2>&1
cp tests/fixtures/full.yaml "$work/full.yaml"
cd "$work/shop"
hyperfine --shell=none --warmup 20 --runs 200 --export-markdown "$work/results.md" \
    "$bin --help" \
    "$bin validate" \
    "$bin package" \
    "$bin package --config $work/full.yaml --stage prod"
cat "$work/results.md"
