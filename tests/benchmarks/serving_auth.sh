#!/usr/bin/env bash
# Authorization by endpoint (issue 25) against the path-text check it replaced, same run, wrk from Debian on this machine:
# the endpoint of this checkout and of BASE (default b120b7f, the last commit with the old check), built from a git
# worktree, serving the same workspace and model (serving_model.sh) with a token required for inference, each request
# sending it. Per round and server: throughput with 16 connections (wrk -t2 -c16 -d10s) and latency with one
# (wrk -t1 -c1 -d10s --latency). ROUNDS alternating rounds; medians, and the ratio after / before.
# Usage: tests/benchmarks/serving_auth.sh [ROUNDS=5] [BASE=b120b7f]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
base="${2:-b120b7f}"
command -v wrk >/dev/null || { echo "serving_auth.sh: needs wrk (apt-get install -y wrk)" >&2; exit 2; }
source tests/benchmarks/serving_model.sh
"$cli" models promote flights/1 --to champion >/dev/null
git -C "$repo" worktree add --detach "$work/base" "$base" >/dev/null 2>&1
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; git -C "$repo" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
(cd "$work/base" && dotnet build src/NotebookMl.Cli -c Release -v quiet -nologo -p:KernelReadyToRun=false >/dev/null)
before_cli="$work/base/src/NotebookMl.Cli/bin/Release/net10.0/notebookml"
# BASE gets a workspace of its own (this checkout's registry schema is newer), with the same ONNX model registered.
mkdir -p before/.notebookml
(cd before && NOTEBOOKML_HOME="$work/before/.notebookml" "$before_cli" models register flights --onnx "$work/model.onnx" >/dev/null \
  && NOTEBOOKML_HOME="$work/before/.notebookml" "$before_cli" models alias flights champion 1 >/dev/null)
echo "an-inference-token-0123456789" > token
after_port=$(free_port); before_port=$(free_port)
"$cli" serve --port "$after_port" --token-file token --require-token-for-inference > after.log 2>&1 & pids+=($!)
(cd before && NOTEBOOKML_HOME="$work/before/.notebookml" exec "$before_cli" serve --port "$before_port" --token-file ../token --require-token-for-inference > ../before.log 2>&1) & pids+=($!)
cat > body.json <<'JSON'
{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [733]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}
JSON
for name in after before; do
  port=$([ "$name" = after ] && echo "$after_port" || echo "$before_port")
  for attempt in $(seq 121); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/v2/models/flights/infer" -H 'Authorization: Bearer an-inference-token-0123456789' -H 'Content-Type: application/json' -d @body.json)" = 200 ] && break
    [ "$attempt" -lt 121 ] || { echo "serving_auth.sh: the $name server does not answer:" >&2; cat "$name.log" >&2; exit 1; }
    sleep 1
  done
done
cat > post.lua <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer an-inference-token-0123456789"
local f = io.open("body.json", "r"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  io.write(string.format("non2xx=%d errors=%d\n", summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
for round in $(seq "$rounds"); do
  for name in after before; do
    port=$([ "$name" = after ] && echo "$after_port" || echo "$before_port")
    url="http://127.0.0.1:$port/v2/models/flights/infer"
    wrk -t2 -c16 -d10s -s post.lua "$url" > "tp-$name-$round.txt"
    wrk -t1 -c1 -d10s --latency -s post.lua "$url" > "lat-$name-$round.txt"
    grep -q "non2xx=0 errors=0" "tp-$name-$round.txt" || { echo "serving_auth.sh: $name answered errors: $(grep non2xx "tp-$name-$round.txt")" >&2; exit 1; }
    rps=$(awk '/Requests\/sec/ {print $2}' "tp-$name-$round.txt")
    p50=$(awk '$1 == "50%" {print $2}' "lat-$name-$round.txt"); p99=$(awk '$1 == "99%" {print $2}' "lat-$name-$round.txt")
    echo "$name round $round: $rps req/s at 16 connections; one connection p50 $p50, p99 $p99" | tee -a results.txt
  done
done
/usr/bin/python3 - <<'PY'
import re, statistics
def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rows = {}
for line in open("results.txt"):
    m = re.match(r"(\w+) round \d+: ([\d.]+) req/s .*p50 (\S+), p99 (\S+)", line)
    rows.setdefault(m[1], []).append((float(m[2]), ms(m[3]), ms(m[4])))
med = {k: [statistics.median(c) for c in zip(*v)] for k, v in rows.items()}
for k in ("before", "after"):
    rps, p50, p99 = med[k]
    print(f"median {k}: {rps:.0f} req/s at 16 connections; one connection p50 {p50:.3f} ms, p99 {p99:.3f} ms")
print(f"throughput ratio after / before: {med['after'][0] / med['before'][0]:.3f}; p50 ratio {med['after'][1] / med['before'][1]:.3f}")
PY
