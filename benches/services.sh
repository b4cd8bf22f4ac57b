#!/bin/sh
# Root deploys of a five-service project against a local moto server: a chain of two (b reads
# a's queue) and three independent services, each with a function (a stand-in zip: the build
# is benches/build.sh's) and a queue. Measures a root deploy creating all five, the same with
# --concurrency 1, deploying them one by one in order from their directories, and a root
# no-op deploy. Needs hyperfine and the venv from ./install.sh.
#
#   sh benches/services.sh
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/sls-rs
. benches/moto.sh

cd "$work"
python3 - <<'PY'
import hashlib, io, json, os, zipfile
services = ["a", "b", "c", "d", "e"]
open("sls.yaml", "w").write("services:\n" + "".join(f"  {s}: {s}\n" for s in services))
for s in services:
    os.makedirs(f"{s}/.sls/dev/artifacts")
    env = "    env:\n      JOBS: ${a.outputs.JobsQueueUrl}\n" if s == "b" else ""
    open(f"{s}/sls.yaml", "w").write(
        f"service: bench-{s}\nfunctions:\n  work:\n{env}    events:\n      - queue: jobs\n"
        "resources:\n  queues:\n    jobs: {}\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("bootstrap", "#!/bin/sh\n")
    data = buf.getvalue()
    open(f"{s}/.sls/dev/artifacts/work.zip", "wb").write(data)
    sha = hashlib.sha256(data).hexdigest()
    state = {"work": {"arch": "arm64", "release": True, "binary_sha256": sha, "sha256": sha, "size": len(data)}}
    json.dump(state, open(f"{s}/.sls/dev/artifacts/state.json", "w"))
PY
"$bin" deploy --yes --skip-build >/dev/null 2>&1   # the deployment bucket, once
remove="$bin remove --yes"
one_by_one="sh -c 'for s in a b c d e; do (cd \$0/\$s && $bin deploy --yes --skip-build) || exit 1; done' $work"
hyperfine --runs 10 --prepare "$remove" "$bin deploy --yes --skip-build" --export-json "$work/graph.json" >/dev/null
hyperfine --runs 10 --prepare "$remove" "$bin deploy --yes --skip-build --concurrency 1" --export-json "$work/serial.json" >/dev/null
hyperfine --runs 10 --prepare "$remove" "$one_by_one" --export-json "$work/one.json" >/dev/null
"$bin" deploy --yes --skip-build >/dev/null 2>&1
hyperfine --warmup 2 --runs 20 "$bin deploy --yes --skip-build" --export-json "$work/noop.json" >/dev/null

python3 - "$work" <<'PY'
import json, sys
rows = [("root deploy, 5 services created (--concurrency 4)", "graph"),
        ("root deploy, --concurrency 1", "serial"),
        ("one service directory at a time, in order", "one"),
        ("root no-op deploy, 5 unchanged services", "noop")]
for label, name in rows:
    r = json.load(open(f"{sys.argv[1]}/{name}.json"))["results"][0]
    print(f"| {label} | {r['mean'] * 1000:,.1f} ms ± {r['stddev'] * 1000:,.1f} |")
PY
