"""`sls-rs dev` with local services, on a project made by `sls-rs new --template event-driven`:
sign-up → queue → worker latency, queue throughput, and start-up to the first answer.
Run through benches/dev.sh, which builds sls-rs and the project first."""
import json, os, statistics, subprocess, sys, threading, time, urllib.request, queue as q

import boto3

BIN, PROJECT = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, NO_COLOR="1")


def start(*extra):
    t0 = time.monotonic()
    p = subprocess.Popen([BIN, "dev", "--port", "0", "--output", "json", "--no-watch", *extra], cwd=PROJECT,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENV)
    lines = q.Queue()
    threading.Thread(target=lambda: [lines.put((time.monotonic(), json.loads(l))) for l in p.stdout], daemon=True).start()
    events = []
    while True:
        t, e = lines.get(timeout=600)
        events.append(e)
        if e["event"] == "listening":
            return p, lines, events, e["url"], t0


def answered(url):
    try:
        urllib.request.urlopen(url + "/users/nobody@example.com").read()
    except urllib.error.HTTPError as e:
        e.read()


def stop(p):
    p.send_signal(2)
    p.wait(timeout=30)


def startup(extra, runs=5):
    times = []
    for _ in range(runs):
        p, _, _, url, t0 = start(*extra)
        answered(url)
        times.append(time.monotonic() - t0)
        stop(p)
    return statistics.median(times)


def post(url, body):
    req = urllib.request.Request(url + "/signups", data=body.encode(), method="POST")
    urllib.request.urlopen(req).read()


def latency(n=200):
    p, lines, events, url, _ = start()
    gaps = []
    for i in range(n):
        post(url, json.dumps({"email": f"u{i}@example.com", "name": "U"}))
        sent = time.monotonic()
        while True:
            t, e = lines.get(timeout=30)
            if e["event"] == "triggered" and e["function"] == "signup-worker":
                gaps.append((t - e["ms"] / 1000 - sent) * 1000)
                break
    stop(p)
    gaps.sort()
    return statistics.median(gaps), gaps[int(len(gaps) * 0.95) - 1]


def throughput(n=200):
    p, lines, events, url, _ = start()
    aws = [e for e in events if e["event"] == "local_aws"][0]
    queue_url = [r["address"] for r in aws["resources"] if r["name"] == "signups"][0]
    sqs = boto3.client("sqs", endpoint_url=aws["url"], region_name="us-east-1",
                       aws_access_key_id="000000000000", aws_secret_access_key="x")
    t0 = time.monotonic()
    for i in range(0, n, 10):
        entries = [{"Id": str(j), "MessageBody": json.dumps({"email": f"t{i + j}@example.com", "name": "T"})} for j in range(10)]
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    sent = time.monotonic() - t0
    done, batches = 0, 0
    while done < n:
        t, e = lines.get(timeout=60)
        if e["event"] == "triggered" and e["function"] == "signup-worker":
            done += e["cause"]["messages"]
            batches += 1
    elapsed = t - t0
    stop(p)
    return n / elapsed, n / batches, sent


print("start-up to the first answer, median of 5:")
print(f"  with local services:    {startup([]):.2f} s")
print(f"  --no-local-aws:         {startup(['--no-local-aws']):.2f} s")
p50, p95 = latency()
print(f"POST /signups answered → worker invocation starts, 200 sign-ups one at a time: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
rate, per_batch, sent = throughput()
print(f"queue → worker (batch size 10, each message a DynamoDB PutItem): {rate:.0f} messages/s, {per_batch:.1f} messages a batch (sending took {sent:.1f} s)")
