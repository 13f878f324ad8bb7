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
write_post_lua an-inference-token-0123456789
for round in $(seq "$rounds"); do
  for name in after before; do
    port=$([ "$name" = after ] && echo "$after_port" || echo "$before_port")
    wrk_round "$name" "http://127.0.0.1:$port/v2/models/flights/infer" "$round"
    grep -q "non2xx=0 errors=0" "tp-$name-$round.txt" || { echo "serving_auth.sh: $name answered errors: $(grep non2xx "tp-$name-$round.txt")" >&2; exit 1; }
  done
done
/usr/bin/python3 "$repo/tests/benchmarks/wrk_medians.py" results.txt after before
