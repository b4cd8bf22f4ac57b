#!/bin/sh
# Build benchmarks for a 10-function workspace (each function a small lambda_runtime handler):
#   1. cold `sls-rs build` (one cargo lambda invocation for all ten),
#   2. `sls-rs build` after touching one function,
#   3. the same two with one `cargo lambda build` per function, as tools that build one
#      function at a time do,
# each with its own target directory, so neither run warms the other's cache.
# Then the local runtime: `invoke --local` end to end, and warm requests per second through
# `sls-rs dev` measured with wrk (apt-get install wrk hyperfine).
#
#   sh benches/build.sh [arm64|x86_64]
set -eu
cd "$(dirname "$0")/.."
arch=${1:-arm64}
cargo build --release --quiet
bin=$PWD/target/release/sls-rs
export PATH="${SLS_RS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/sls-rs}/venv/bin:$PATH"
work=$(mktemp -d)
trap 'kill $dev_pid 2>/dev/null || true; rm -rf "$work"' EXIT
dev_pid=

ws=$work/bench
mkdir -p "$ws"
{
    printf '[workspace]\nresolver = "2"\nmembers = ['
    for i in 0 1 2 3 4 5 6 7 8 9; do printf '"f%s", ' "$i"; done
    printf ']\n\n[workspace.dependencies]\nlambda_runtime = "1"\nserde_json = "1"\ntokio = { version = "1", features = ["macros"] }\n'
} > "$ws/Cargo.toml"
{
    printf 'service: bench\ndefaults:\n  arch: %s\nfunctions:\n' "$arch"
    for i in 0 1 2 3 4 5 6 7 8 9; do printf '  f%s: {}\n' "$i"; done
    printf '  hello:\n    package: f0\n    bin: f0\n    events: [{ http: GET /hello }]\n'
} > "$ws/sls.yaml"
for i in 0 1 2 3 4 5 6 7 8 9; do
    mkdir -p "$ws/f$i/src"
    printf '[package]\nname = "f%s"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nlambda_runtime = { workspace = true }\nserde_json = { workspace = true }\ntokio = { workspace = true }\n' "$i" > "$ws/f$i/Cargo.toml"
    cat > "$ws/f$i/src/main.rs" <<RS
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::{json, Value};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(|e: LambdaEvent<Value>| async move {
        Ok::<_, Error>(json!({"statusCode": 200, "body": format!("f$i {}", e.payload["rawPath"])}))
    }))
    .await
}
RS
done
cd "$ws"
cargo generate-lockfile --quiet

secs() { date +%s.%N; }
timed() { s=$(secs); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(secs); echo "$e - $s" | bc; }

export CARGO_TARGET_DIR=$work/target-one
one_cold=$(timed "$bin" build --stage bench)
touch f3/src/main.rs
one_incr=$(timed "$bin" build --stage bench)

flag=--arm64; [ "$arch" = x86_64 ] && flag=--x86-64
per_fn() { for i in 0 1 2 3 4 5 6 7 8 9; do cargo lambda build --release $flag -p "f$i" || return 1; done; }
export CARGO_TARGET_DIR=$work/target-each
each_cold=$(timed per_fn)
touch f3/src/main.rs
each_incr=$(timed per_fn)

echo "| build ($arch, release, 10 functions) | sls-rs build (one cargo lambda call) | one cargo lambda call per function |"
echo "|---|---|---|"
printf '| cold | %.1f s | %.1f s |\n' "$one_cold" "$each_cold"
printf '| after touching one function | %.1f s | %.1f s |\n' "$one_incr" "$each_incr"

export CARGO_TARGET_DIR=$work/target-one
"$bin" invoke --local -f f1 --event http >/dev/null 2>&1
hyperfine --warmup 3 --runs 20 --shell=none "$bin invoke --local -f f1 --event http"
"$bin" dev --port 3901 --no-watch 2>"$work/dev.log" &
dev_pid=$!
for _ in $(seq 100); do grep -q listening "$work/dev.log" && break; sleep 0.2; done
wrk -t2 -c8 -d10s http://127.0.0.1:3901/hello
