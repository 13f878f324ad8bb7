#!/usr/bin/env bash
# Promotion to swap on two replicas: two `notebookml serve` processes on one workspace store follow @champion; another
# process moves the alias PROMOTIONS times (notebookml models alias), and each time the script measures how long after
# that command returns both replicas serve the new version (polling /v2/models/NAME every 5 ms). Run on the embedded
# store (SQLite, the replicas poll its event log every 250 ms) and on PostgreSQL (LISTEN/NOTIFY), same model, same run.
# Target: p99 ≤ 1 s on PostgreSQL (issue 27).
# Usage: tests/benchmarks/store_replicas.sh [PROMOTIONS=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
promotions="${1:-20}"
./build.sh >/dev/null
work="$(mktemp -d)"
source tests/benchmarks/postgres.sh
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; stop_postgres' EXIT
export CI=true
repo="$PWD"
cli="$repo/src/NotebookMl.Cli/bin/Release/net10.0/notebookml"
query="SELECT distance, origin, hour(date) AS hour, delay > 15 AS late FROM source WHERE date < '2001-01-08'"

for store in sqlite postgresql; do
  folder="$work/$store"
  mkdir -p "$folder"
  [ "$store" = postgresql ] && echo "store: $PG_URL" > "$folder/notebookml.yaml" || : > "$folder/notebookml.yaml"
  run=$(cd "$folder" && "$cli" train --data "$repo/datasets/flights-3m.parquet" --query "$query" --label late --trees 5 --threads 2 --json | /usr/bin/python3 -c "import json, sys; t = sys.stdin.read(); print(json.loads(t[t.index('{'):])['run_id'])")
  for i in 1 2 3; do (cd "$folder" && "$cli" models register flights --run "$run" >/dev/null); done
  (cd "$folder" && "$cli" models alias flights champion 1 >/dev/null)
  for replica in 1 2; do
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    (cd "$folder" && exec "$cli" serve --port "$port" > "$work/$store-serve-$replica.log" 2>&1) &
    echo "$port" > "$work/$store-port-$replica"
  done
  echo "$store:"
  /usr/bin/python3 - "$folder" "$cli" "$promotions" "$(cat "$work/$store-port-1")" "$(cat "$work/$store-port-2")" <<'PY'
import subprocess, sys, time, json, urllib.request
folder, cli, promotions, ports = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
def serving(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/models/flights", timeout=2) as r:
            return json.load(r)["versions"][0]
    except Exception:
        return None
for port in ports:
    deadline = time.time() + 60
    while serving(port) != "1":
        assert time.time() < deadline, f"replica on {port} never served version 1"
        time.sleep(0.05)
times = []
for i in range(promotions):
    version = str((i + 1) % 3 + 1)
    subprocess.run([cli, "models", "alias", "flights", "champion", version], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    for port in ports:
        while serving(port) != version:
            time.sleep(0.005)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
p = lambda q: times[min(len(times) - 1, int(round(q * (len(times) - 1))))]
print(f"  {promotions} promotions, both replicas swapped after: p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, max {times[-1]:.0f} ms")
PY
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
done
