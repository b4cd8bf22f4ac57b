# Sourced by the deploy benchmarks: starts moto from the sls-rs venv on a free loopback port,
# in a fresh $work directory that goes (with the server) when the script exits, and points the
# AWS SDKs at it. Sets $venv, $work, $port.
home=${SLS_RS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/sls-rs}
venv=$home/venv
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/moto-api/" >/dev/null && break; sleep 0.2; done
curl -s -X POST "http://127.0.0.1:$port/moto-api/config" -d '{"lambda":{"use_docker":false}}' >/dev/null
# `localhost`, not 127.0.0.1: S3 URLs in templates must name it so.
export AWS_ENDPOINT_URL=http://localhost:$port AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
