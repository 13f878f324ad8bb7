#!/usr/bin/env bash
# Serving with the issue-16 features on (wrk from Debian on this machine), a 100-tree LightGBM flight-delay model
# (distance, origin, hour, and two online features of the origin: late_rate, flights) trained on a point-in-time
# training set from the feature store. Single-row requests; each setting is its own `notebookml serve`, run one
# after the other: throughput at 16 connections (wrk -t2 -c16 -d10s), then latency at one (wrk -t1 -c1 -d10s --latency).
#  1. Prediction log: --log-sample 0 against --log-sample 1 (every request logged): rows/s sustained and the cost.
#  2. Shadow: the served answer's p50/p99 with a shadow model (a second version) mirrored against none, on one server
#     with every request logged, the shadow switched on and off through the registry between runs (2 × ROUNDS pairs).
#  3. Online features: requests that leave late_rate and flights out (looked up in SQLite, then in a real
#     redis-server) against requests that send every input.
# ROUNDS rounds; medians. Usage: tests/benchmarks/serving_traffic.sh [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
for tool in wrk redis-server; do command -v "$tool" >/dev/null || { echo "serving_traffic.sh: needs $tool (apt-get install -y wrk redis-server)" >&2; exit 2; }; done
source tests/benchmarks/serving_workspace.sh
now=$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%S)

# The feature view: per origin, the share of late flights and the flights in January 2001, as of an hour ago (TTL 7 days).
cat > features.yaml <<YAML
entities:
  airport: {join_keys: [origin]}
feature_views:
  origin_stats:
    entities: [airport]
    source: $repo/datasets/flights-3m.parquet
    timestamp: event_timestamp
    ttl: 7d
    query: |
      SELECT origin, avg(CASE WHEN delay > 15 THEN 1.0 ELSE 0.0 END) AS late_rate, count(*) AS flights,
             TIMESTAMP '$now' AS event_timestamp
      FROM source WHERE date < '2001-02-01' GROUP BY origin
    features: {late_rate: double, flights: int64}
YAML
"$cli" features apply features.yaml >/dev/null
"$cli" features materialize 2000-01-01 "$(date -u +%Y-%m-%dT%H:%M:%S)" >/dev/null
# Entity rows (January's flights, all as of now) for the point-in-time training set.
export_csv "SELECT origin, distance, hour(date) AS hour, delay > 15 AS late, '$now' AS event_timestamp FROM source WHERE date < '2001-02-01'" entities.csv
run_id=$("$cli" train --entities entities.csv --features origin_stats:late_rate,origin_stats:flights --label late --trees 100 --threads 2 --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['run_id'])")
"$cli" models register flights --run "$run_id" >/dev/null
"$cli" models register flights --run "$run_id" >/dev/null
"$cli" models alias flights champion 1 >/dev/null
"$cli" models alias flights challenger 2 >/dev/null

/usr/bin/python3 - <<'PY'
import json
base = [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [733]},
        {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]},
        {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]
full = base + [{"name": "late_rate", "datatype": "FP32", "shape": [1, 1], "data": [0.25]},
               {"name": "flights", "datatype": "FP32", "shape": [1, 1], "data": [25000]}]
for name, inputs in (("full", full), ("online", base)):
    json.dump({"inputs": inputs}, open(f"{name}.json", "w"))
    open(f"{name}.lua", "w").write(f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal f = io.open("{name}.json", "r"); wrk.body = f:read("*a"); f:close()\n'
        'done = function(s, l, r) io.write(string.format("non2xx=%d errors=%d\\n", s.errors.status, s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout)) end\n')
PY

# One setting: serve with OPTIONS, send BODY (full or online); one line per round into results.txt.
measure() {
  local name="$1" round="$2" body="$3"; shift 3
  local port; port=$(free_port)
  "$cli" serve --port "$port" "$@" > "serve-$name.log" 2>&1 & local pid=$!; pids+=($pid)
  for _ in $(seq 120); do curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/v2/models/flights/infer" -H 'Content-Type: application/json' -d @"$body.json" && break; sleep 0.5; done
  local url="http://127.0.0.1:$port/v2/models/flights/infer"
  wrk -t2 -c16 -d2s -s "$body.lua" "$url" >/dev/null
  wrk -t2 -c16 -d10s -s "$body.lua" "$url" > "tp-$name-$round.txt"
  sleep 1   # what the load left queued (log rows, mirrors) is done before the latency run
  wrk -t1 -c1 -d10s --latency -s "$body.lua" "$url" > "lat-$name-$round.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "tp-$name-$round.txt")
  p50=$(awk '$1 == "50%" {print $2}' "lat-$name-$round.txt"); p99=$(awk '$1 == "99%" {print $2}' "lat-$name-$round.txt")
  echo "$name round $round: $rps req/s at 16 connections ($(grep non2xx "tp-$name-$round.txt")); one connection p50 $p50, p99 $p99" | tee -a results.txt
}

redis_port=$(free_port)
for round in $(seq "$rounds"); do
  rm -f notebookml.yaml
  "$cli" models shadow flights --off >/dev/null
  measure full-nolog "$round" full --log-sample 0
  measure full-log "$round" full --log-sample 1
  measure online-sqlite "$round" online --log-sample 0
  redis-server --port "$redis_port" --save '' --appendonly no > redis.log 2>&1 & redis_pid=$!; pids+=($redis_pid)
  sleep 0.5
  echo "online_store: redis://127.0.0.1:$redis_port" > notebookml.yaml
  "$cli" features materialize 2000-01-01 "$(date -u +%Y-%m-%dT%H:%M:%S)" >/dev/null
  measure online-redis "$round" online --log-sample 0
  kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
done
# Shadow on and off on one server (--log-sample 1), switched through the registry between runs (it takes effect live):
# the same process, heap and JIT state on both sides, alternating, 2 × ROUNDS pairs.
rm -f notebookml.yaml
port=$(free_port)
"$cli" serve --port "$port" --log-sample 1 > serve-shadow.log 2>&1 & ab=$!; pids+=($ab)
url="http://127.0.0.1:$port/v2/models/flights/infer"
for _ in $(seq 120); do curl -sf -o /dev/null -X POST "$url" -H 'Content-Type: application/json' -d @full.json && break; sleep 0.5; done
wrk -t2 -c16 -d2s -s full.lua "$url" >/dev/null
for round in $(seq $((rounds * 2))); do
  for state in off on; do
    if [ "$state" = on ]; then "$cli" models shadow flights --alias challenger >/dev/null; else "$cli" models shadow flights --off >/dev/null; fi
    sleep 1
    wrk -t2 -c16 -d10s -s full.lua "$url" > "tp-shadow-$state-$round.txt"
    sleep 1
    wrk -t1 -c1 -d10s --latency -s full.lua "$url" > "lat-shadow-$state-$round.txt"
    rps=$(awk '/Requests\/sec/ {print $2}' "tp-shadow-$state-$round.txt")
    p50=$(awk '$1 == "50%" {print $2}' "lat-shadow-$state-$round.txt"); p99=$(awk '$1 == "99%" {print $2}' "lat-shadow-$state-$round.txt")
    echo "shadow-$state round $round: $rps req/s at 16 connections ($(grep non2xx "tp-shadow-$state-$round.txt")); one connection p50 $p50, p99 $p99" | tee -a results.txt
  done
done
kill "$ab"; wait "$ab" 2>/dev/null || true
if grep -q "shadow version .* failed" serve-shadow.log; then echo "serving_traffic.sh: the shadow failed:" >&2; grep "shadow version" serve-shadow.log | head -3 >&2; exit 1; fi

rows=$(/usr/bin/python3 -c "import glob; print(len(glob.glob('.notebookml/predictions/flights/*/*.parquet')))")
echo "prediction log: $rows Parquet files written"
/usr/bin/python3 - <<'PY'
import re, statistics
def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rows = {}
for line in open("results.txt"):
    m = re.match(r"(\S+) round \d+: ([\d.]+) req/s .*p50 (\S+), p99 (\S+)", line)
    rows.setdefault(m[1], []).append((float(m[2]), ms(m[3]), ms(m[4])))
med = {k: [statistics.median(c) for c in zip(*v)] for k, v in rows.items()}
for k, (rps, p50, p99) in med.items():
    print(f"median {k}: {rps:.0f} req/s at 16 connections; one connection p50 {p50:.3f} ms, p99 {p99:.3f} ms")
print(f"prediction log (--log-sample 1): {med['full-log'][0]:.0f} rows/s sustained, throughput {100 * (1 - med['full-log'][0] / med['full-nolog'][0]):.1f} % lower than without the log")
on, off = med["shadow-on"], med["shadow-off"]
print(f"shadow on vs off (one server, alternating): p99 {on[2]:.3f} vs {off[2]:.3f} ms ({100 * (on[2] / off[2] - 1):+.1f} %), p50 {on[1]:.3f} vs {off[1]:.3f} ms, throughput {100 * (on[0] / off[0] - 1):+.1f} %")
for store in ("sqlite", "redis"):
    o, f = med[f"online-{store}"], med["full-nolog"]
    print(f"online features from {store}: p50 {o[1]:.3f} vs {f[1]:.3f} ms, p99 {o[2]:.3f} vs {f[2]:.3f} ms (inputs sent in full), throughput {o[0]:.0f} vs {f[0]:.0f} req/s")
PY
