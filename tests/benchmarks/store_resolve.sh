#!/usr/bin/env bash
# Resolve and load a model by URI: ModelRegistry.Load("models:/flights@champion") (open the registry, resolve the alias,
# read the ONNX bytes checked against their digest, create the ONNX Runtime session) in a notebook run by the real
# kernel, ROUNDS times after a first, cold load; median. On the embedded store (SQLite + .notebookml/), and on the shared
# one (PostgreSQL + an s3rver artifact root, so the bytes come from the local cache by digest), same model, same run.
# Target: shared within 2x the embedded store (issue 27).
# Usage: tests/benchmarks/store_resolve.sh [ROUNDS=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-20}"
./build.sh >/dev/null
[ -x .tools/s3rver/node_modules/.bin/s3rver ] || npm install --prefix .tools/s3rver --no-audit --no-fund --loglevel=error s3rver@3.7.1 >/dev/null
work="$(mktemp -d)"
source tests/benchmarks/postgres.sh
s3_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/s3"
.tools/s3rver/node_modules/.bin/s3rver -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --silent --no-vhost-buckets --configure-bucket ml >/dev/null 2>&1 &
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; stop_postgres' EXIT
export CI=true AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
repo="$PWD"
cli="$repo/src/NotebookMl.Cli/bin/Release/net10.0/notebookml"
query="SELECT distance, origin, hour(date) AS hour, delay > 15 AS late FROM source WHERE date < '2001-01-08'"
sleep 1

/usr/bin/python3 - "$work" "$rounds" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
work, rounds = sys.argv[1], int(sys.argv[2])
nb = new_notebook(metadata={"kernelspec": {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"}})
nb.cells = [new_code_cell(f"""
using NotebookMl.Core.Registry;
using NotebookMl.Training.Registration;
var times = new List<double>();
for (var round = 0; round <= {rounds}; round++)
{{
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var model = ModelRegistry.Load("models:/flights@champion");
    if (round > 0) times.Add(clock.Elapsed.TotalMilliseconds);
    (model as IDisposable)?.Dispose();
}}
var sorted = times.Order().ToArray();
Console.WriteLine($"load by models:/flights@champion: median {{sorted[sorted.Length / 2]:0.0}} ms, p90 {{sorted[(int)(sorted.Length * 0.9)]:0.0}} ms over {rounds} warm loads");
""")]
nbformat.write(nb, f"{work}/load.ipynb")
PY

for store in sqlite postgresql; do
  folder="$work/$store"
  mkdir -p "$folder"
  if [ "$store" = postgresql ]; then
    printf 'store: %s\nartifacts: s3://ml/team?endpoint=http://127.0.0.1:%s\n' "$PG_URL" "$s3_port" > "$folder/notebookml.yaml"
  else
    : > "$folder/notebookml.yaml"
  fi
  run=$(cd "$folder" && "$cli" train --data "$repo/datasets/flights-3m.parquet" --query "$query" --label late --trees 50 --threads 2 --json | /usr/bin/python3 -c "import json, sys; t = sys.stdin.read(); print(json.loads(t[t.index('{'):])['run_id'])")
  (cd "$folder" && "$cli" models register flights --run "$run" >/dev/null && "$cli" models alias flights champion 1 >/dev/null)
  echo "$store:"
  (cd "$folder" && "$cli" run "$work/load.ipynb" --cwd "$folder" --log-output | grep -E "median")
done
