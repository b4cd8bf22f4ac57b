#!/bin/sh
# Deploy timings against a local moto server (excluding the build, which benches/build.sh
# measures): first deploy of the http-api project, a no-op deploy, and a code change — with
# sls-rs, then with AWS SAM CLI deploying the same CloudFormation (the template sls-rs
# synthesises, `Code` pointing at the same zip) in the same run. Needs hyperfine and the venv
# from ./install.sh; SAM CLI goes into a venv of its own beside it on first use.
#
#   sh benches/deploy.sh
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/sls-rs
# The project is new each run; its build (not measured) reuses one target directory.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/bench-projects}
. benches/moto.sh
samvenv=$home/bench-sam-venv
if [ ! -x "$samvenv/bin/sam" ]; then
    python3 -m venv "$samvenv" && "$samvenv/bin/pip" install --quiet aws-sam-cli
fi
export SAM_CLI_TELEMETRY=0
"$bin" new "$work/demo" --template http-api --yes >/dev/null 2>&1
cd "$work/demo"
"$bin" build >/dev/null 2>&1
"$bin" deploy --yes --skip-build >/dev/null 2>&1   # creates the deployment bucket once
bucket=sls-rs-123456789012-us-east-1

# A code change without the build: a new file in the zip, its hash where the build records it.
cat >"$work/new-code.py" <<'PY'
import hashlib, json, os, sys, zipfile
zip_path, state_path = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(zip_path, "a") as z:
    z.writestr("nonce-%s" % os.urandom(8).hex(), os.urandom(64))
state = json.load(open(state_path))
state["api"]["sha256"] = hashlib.sha256(open(zip_path, "rb").read()).hexdigest()
json.dump(state, open(state_path, "w"))
PY
new_code="python3 $work/new-code.py .sls/dev/artifacts/api.zip .sls/dev/artifacts/state.json"

hyperfine --shell=none --runs 10 \
    --prepare "$bin remove --yes" "$bin deploy --yes --skip-build" \
    --export-json "$work/first.json" >/dev/null
"$bin" deploy --yes --skip-build >/dev/null 2>&1
hyperfine --shell=none --warmup 2 --runs 20 "$bin deploy --yes --skip-build" --export-json "$work/noop.json" >/dev/null
# The same with the build's up-to-date check (what `sls-rs deploy` runs), and that check alone:
# cargo lambda asked to build what has not changed.
hyperfine --shell=none --warmup 2 --runs 10 "$bin deploy --yes" --export-json "$work/noop-build.json" >/dev/null
hyperfine --shell=none --warmup 2 --runs 10 "$bin build" --export-json "$work/build-check.json" >/dev/null
hyperfine --shell=none --runs 10 --prepare "$new_code" "$bin deploy --yes --skip-build" --export-json "$work/full.json" >/dev/null
hyperfine --shell=none --runs 10 --prepare "$new_code" "$bin deploy --yes --skip-build --function api" \
    --export-json "$work/code.json" >/dev/null
"$bin" remove --yes >/dev/null 2>&1

# SAM CLI: the same template (another stage, so names do not clash), Code as a local zip.
"$bin" package --stage sam >/dev/null 2>&1
python3 - <<'PY'
import json
t = json.load(open(".sls/sam/template.json"))
for r in t["Resources"].values():
    if r["Type"] == "AWS::Lambda::Function":
        r["Properties"]["Code"] = ".sls/dev/artifacts/api.zip"
t.pop("Parameters", None)
json.dump(t, open("sam-template.json", "w"), indent=1)
PY
sam="$samvenv/bin/sam deploy --template-file sam-template.json --stack-name demo-sam --s3-bucket $bucket \
--s3-prefix sam --capabilities CAPABILITY_IAM --no-confirm-changeset --no-fail-on-empty-changeset"
delete="$samvenv/bin/python -c \"import boto3; boto3.client('cloudformation').delete_stack(StackName='demo-sam')\""
hyperfine --shell=none --runs 5 --prepare "$delete" "$sam" --export-json "$work/sam-first.json" >/dev/null
hyperfine --shell=none --runs 10 "$sam" --export-json "$work/sam-noop.json" >/dev/null
hyperfine --shell=none --runs 5 --prepare "$new_code" "$sam" --export-json "$work/sam-code.json" >/dev/null

python3 - "$work" <<'PY'
import json, sys
rows = [("sls-rs first deploy (stack created, bucket exists)", "first"), ("sls-rs no-op deploy", "noop"),
        ("sls-rs no-op deploy, build check included", "noop-build"), ("sls-rs build, nothing changed", "build-check"),
        ("sls-rs code change, full deploy", "full"), ("sls-rs code change, deploy -f api", "code"),
        ("SAM CLI first deploy", "sam-first"), ("SAM CLI no-op deploy", "sam-noop"),
        ("SAM CLI code change (sam deploy)", "sam-code")]
for label, name in rows:
    r = json.load(open(f"{sys.argv[1]}/{name}.json"))["results"][0]
    print(f"| {label} | {r['mean'] * 1000:,.1f} ms ± {r['stddev'] * 1000:,.1f} |")
PY
