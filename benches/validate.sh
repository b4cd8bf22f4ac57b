#!/bin/sh
# Validation time against the number of problems: configs with 5,000 and 20,000 functions,
# each with an out-of-range `memory`, rendered for people. Near-linear is the goal (4× the
# problems, about 4× the time). Needs hyperfine.
#
#   sh benches/validate.sh
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/sls-rs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in 5000 20000; do
    mkdir -p "$work/$n"
    python3 - "$n" "$work/$n/sls.yaml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write("service: q\nfunctions:\n")
    for i in range(n):
        f.write(f"  f{i}:\n    memory: 1\n")
PY
done
hyperfine --warmup 1 -i -N \
    -n "5,000 problems" "$bin validate --config $work/5000/sls.yaml" \
    -n "20,000 problems" "$bin validate --config $work/20000/sls.yaml"
