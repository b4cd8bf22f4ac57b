#!/bin/sh
# Deploy timings against a local moto server (excluding the build, which benches/build.sh
# measures): first deploy of the http-api project, a no-op deploy, and a code-only deploy.
# Needs hyperfine and the venv from ./install.sh.
#
#   sh benches/deploy.sh
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/sls-rs
venv=${SLS_RS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/sls-rs}/venv
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/moto-api/" >/dev/null && break; sleep 0.2; done
curl -s -X POST "http://127.0.0.1:$port/moto-api/config" -d '{"lambda":{"use_docker":false}}' >/dev/null
export AWS_ENDPOINT_URL=http://localhost:$port AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
"$bin" new "$work/demo" --template http-api --yes >/dev/null 2>&1
cd "$work/demo"
"$bin" build >/dev/null 2>&1
"$bin" deploy --yes --skip-build >/dev/null 2>&1   # creates the deployment bucket once
hyperfine --shell=none --runs 10 \
    --prepare "$bin remove --yes" "$bin deploy --yes --skip-build" \
    --export-markdown "$work/first.md" >/dev/null
"$bin" deploy --yes --skip-build >/dev/null 2>&1
hyperfine --shell=none --warmup 2 --runs 20 "$bin deploy --yes --skip-build" --export-markdown "$work/noop.md" >/dev/null
hyperfine --shell=none --runs 10 "$bin deploy --yes --skip-build --function api" --export-markdown "$work/code.md" >/dev/null
echo "first deploy (stack created, bucket exists):"; tail -1 "$work/first.md"
echo "no-op deploy:"; tail -1 "$work/noop.md"
echo "code-only deploy (deploy -f api):"; tail -1 "$work/code.md"
