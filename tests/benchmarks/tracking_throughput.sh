#!/usr/bin/env bash
# Tracking benchmark: metric points logged per second through TrackedRun.LogMetric (batched), from a
# real notebook run by the real kernel, into the embedded store (SQLite, WAL) and then, in the same run,
# into a shared PostgreSQL store started for the benchmark (tests/benchmarks/postgres.sh). ROUNDS runs of
# POINTS points each, 10 metric keys; prints each round's rate, then the median, per store. MLflow (the
# peer) is not obtainable on this machine (no PyPI); its SQL store is reported at ~1,000 points in 4-9 s
# (issue 4), its REST store at ~110-250 points/s (mlflow#3010, #5269).
# Usage: tests/benchmarks/tracking_throughput.sh [ROUNDS=5] [POINTS=200000]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
points="${2:-200000}"
./build.sh >/dev/null
work="$(mktemp -d)"
source tests/benchmarks/postgres.sh
trap 'rm -rf "$work"; stop_postgres' EXIT

/usr/bin/python3 - "$work" "$rounds" "$points" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
work, rounds, points = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
nb = new_notebook(metadata={"kernelspec": {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"}})
nb.cells = [new_code_cell(f"""
using NotebookMl.Core.Tracking;
var tracker = Tracker.ForCurrentWorkspace();
var rates = new List<double>();
for (var round = 0; round < {rounds}; round++)
{{
    var clock = System.Diagnostics.Stopwatch.StartNew();
    using (var run = tracker.StartRun("benchmark"))
    {{
        for (var i = 0; i < {points}; i++) run.LogMetric($"m{{i % 10}}", i * 0.5, i / 10);
    }}
    var rate = {points} / clock.Elapsed.TotalSeconds;
    rates.Add(rate);
    Console.WriteLine($"round {{round + 1}}: {points} points in {{clock.Elapsed.TotalSeconds:0.000}} s = {{rate:0}} points/s");
}}
var sorted = rates.Order().ToArray();
Console.WriteLine($"median: {{sorted[sorted.Length / 2]:0}} points/s");
""")]
nbformat.write(nb, f"{work}/tracking.ipynb")
PY

echo "embedded store (SQLite):"
NOTEBOOKML_HOME="$work/.notebookml" CI=true src/NotebookMl.Cli/bin/Release/net10.0/notebookml run "$work/tracking.ipynb" --log-output | grep -E "round|median"
echo "shared store (PostgreSQL):"
NOTEBOOKML_HOME="$work/.notebookml-pg" NOTEBOOKML_STORE="$PG_URL" CI=true src/NotebookMl.Cli/bin/Release/net10.0/notebookml run "$work/tracking.ipynb" --log-output | grep -E "round|median"
