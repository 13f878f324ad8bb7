#!/usr/bin/env bash
# Serving benchmark (issue 15), same run, wrk from Debian on this machine:
#   NotebookMl `notebookml serve` (Open Inference Protocol v2 over REST, a 100-tree LightGBM flight-delay
#   model as ONNX) against the design texts' pattern: FastAPI + uvicorn (one worker) serving the same task
#   with an XGBoost model (100 trees, depth 6) on the same rows and the same request JSON.
#   Per round and server: throughput with 16 connections (wrk -t2 -c16 -d10s), then latency with one
#   connection (wrk -t1 -c1 -d10s --latency; p50/p99). Single-row requests. ROUNDS rounds; medians.
# Usage: tests/benchmarks/serving.sh [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
for tool in wrk; do command -v "$tool" >/dev/null || { echo "serving.sh: needs $tool (apt-get install -y wrk)" >&2; exit 2; }; done
/usr/bin/python3 -c "import fastapi, uvicorn, xgboost" 2>/dev/null || { echo "serving.sh: needs python3-fastapi python3-uvicorn python3-xgboost" >&2; exit 2; }
source tests/benchmarks/serving_model.sh
"$cli" models promote flights/1 --to champion >/dev/null

# The same rows for XGBoost, as CSV.
export_csv "$query" rows.csv

cat > peer.py <<'PY'
import numpy as np, pandas as pd, xgboost
from fastapi import FastAPI
rows = pd.read_csv("rows.csv")
origins = {o: i for i, o in enumerate(sorted(rows["origin"].astype(str).unique()))}
X = np.column_stack([rows["distance"], rows["origin"].astype(str).map(origins), rows["hour"]]).astype("float32")
model = xgboost.XGBClassifier(n_estimators=100, max_depth=6, tree_method="hist", nthread=2).fit(X, rows["late"].astype(int))
app = FastAPI()

@app.post("/v2/models/flights/infer")
async def infer(request: dict):
    data = {i["name"]: i["data"] for i in request["inputs"]}
    n = len(data["distance"])
    x = np.column_stack([np.ravel(data["distance"]), [origins.get(o, -1) for o in np.ravel(data["origin"])], np.ravel(data["hour"])]).astype("float32")
    p = model.predict_proba(x)[:, 1]
    return {"model_name": "flights", "outputs": [{"name": "probability", "datatype": "FP32", "shape": [n, 1], "data": p.tolist()}]}
PY
ours_port=$(free_port); peer_port=$(free_port)
"$cli" serve --port "$ours_port" > serve.log 2>&1 & pids+=($!)
/usr/bin/python3 -m uvicorn peer:app --port "$peer_port" --log-level warning > peer.log 2>&1 & pids+=($!)
for port in "$ours_port" "$peer_port"; do
  for _ in $(seq 120); do curl -s -o /dev/null -X POST "http://127.0.0.1:$port/v2/models/flights/infer" -d '{}' && break; sleep 1; done
done

cat > body.json <<'JSON'
{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [733]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}
JSON
write_post_lua
for name in ours peer; do
  port=$([ "$name" = ours ] && echo "$ours_port" || echo "$peer_port")
  curl -s -X POST "http://127.0.0.1:$port/v2/models/flights/infer" -H 'Content-Type: application/json' -d @body.json; echo " <- $name"
done
for round in $(seq "$rounds"); do
  for name in ours peer; do
    port=$([ "$name" = ours ] && echo "$ours_port" || echo "$peer_port")
    wrk_round "$name" "http://127.0.0.1:$port/v2/models/flights/infer" "$round"
  done
done
/usr/bin/python3 "$repo/tests/benchmarks/wrk_medians.py" results.txt ours peer
