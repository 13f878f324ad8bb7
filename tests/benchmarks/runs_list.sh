#!/usr/bin/env bash
# runs list at scale: 100,000 runs (8 params, 6 latest metrics and a tag each) in the embedded store (SQLite) and in
# a shared PostgreSQL store (tests/benchmarks/postgres.sh), the same rows in both; then, in a notebook run by the real
# kernel, Tracker.ListRuns ordered by metrics.test_auc (20 runs) and filtered by a param and a metric, ROUNDS times
# each; medians per store. Target: ≤ 100 ms p50 on PostgreSQL (issue 27).
# Usage: tests/benchmarks/runs_list.sh [ROUNDS=7] [RUNS=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-7}"
runs="${2:-100000}"
./build.sh >/dev/null
work="$(mktemp -d)"
source tests/benchmarks/postgres.sh
trap 'rm -rf "$work"; stop_postgres' EXIT
cli=src/NotebookMl.Cli/bin/Release/net10.0/notebookml
NOTEBOOKML_HOME="$work/sqlite/.notebookml" $cli store upgrade >/dev/null
NOTEBOOKML_HOME="$work/pg/.notebookml" NOTEBOOKML_STORE="$PG_URL" $cli store upgrade >/dev/null

# The same rows for both stores, as SQL both engines run.
/usr/bin/python3 - "$work" "$runs" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/rows.sql", "w") as f:
    f.write("BEGIN;\nINSERT INTO experiments (id, name, created) VALUES (1, 'bench', '2026-12-01T00:00:00.000Z');\n")
    def batch(table, rows):
        for i in range(0, len(rows), 1000):
            f.write(f"INSERT INTO {table} VALUES " + ",".join(rows[i:i + 1000]) + ";\n")
    batch("runs", [f"('r{i:07d}', 1, 'run-{i}', 'FINISHED', '2026-12-01T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}.000Z', NULL, NULL, NULL, NULL, NULL, 'h', 1, 'x', '{{}}')" for i in range(n)])
    batch("params", [f"('r{i:07d}', '{k}', '{v}')" for i in range(n) for k, v in
                     [("model", ["lightgbm", "fasttree", "mlp"][i % 3]), ("trees", str(100 + i % 400)), ("learning_rate", str((i % 30 + 1) / 100)),
                      ("leaves", str(15 + i % 100)), ("seed", str(i % 7)), ("label", "late"), ("split", "time"), ("features", "origin,destination,distance,hour,weekday")]])
    batch("latest_metrics", [f"('r{i:07d}', '{k}', {v}, 0, 0)" for i in range(n) for k, v in
                             [("test_auc", ((i * 7919) % 10000) / 10000), ("test_accuracy", ((i * 104729) % 10000) / 10000), ("test_f1", (i % 997) / 997),
                              ("test_log_loss", (i % 501) / 500), ("valid_auc", ((i * 31) % 1000) / 1000), ("training_seconds", (i % 60) + 0.5)]])
    batch("tags", [f"('r{i:07d}', 'team', '{['a', 'b', 'c', 'd'][i % 4]}')" for i in range(n)])
    f.write("COMMIT;\n")
PY
/usr/bin/python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.execute('ANALYZE'); c.close()" "$work/sqlite/.notebookml/workspace.db" "$work/rows.sql"
psql -q "$PG_URL" -f "$work/rows.sql" -c "ANALYZE" >/dev/null

/usr/bin/python3 - "$work" "$rounds" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
work, rounds = sys.argv[1], int(sys.argv[2])
nb = new_notebook(metadata={"kernelspec": {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"}})
nb.cells = [new_code_cell(f"""
using NotebookMl.Core.Tracking;
var tracker = Tracker.ForCurrentWorkspace();
foreach (var (label, query) in new[] {{
    ("order by metrics.test_auc desc, 20 runs", new RunQuery {{ Experiment = "bench", OrderBy = "metrics.test_auc desc", Limit = 20 }}),
    ("filter params.model = 'mlp' and metrics.test_auc > 0.9, 20 runs", new RunQuery {{ Experiment = "bench", Filter = "params.model = 'mlp' and metrics.test_auc > 0.9", Limit = 20 }}) }})
{{
    var times = new List<double>();
    for (var round = 0; round < {rounds} + 1; round++)
    {{
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var runs = tracker.ListRuns(query);
        if (round > 0) times.Add(clock.Elapsed.TotalMilliseconds);
        if (runs.Count != 20) throw new Exception($"{{runs.Count}} runs");
    }}
    var sorted = times.Order().ToArray();
    Console.WriteLine($"{{label}}: rounds {{string.Join(" · ", times.Select(t => t.ToString("0.0")))}} ms; median {{sorted[sorted.Length / 2]:0.0}} ms");
}}
""")]
nbformat.write(nb, f"{work}/list.ipynb")
PY
echo "embedded store (SQLite):"
NOTEBOOKML_HOME="$work/sqlite/.notebookml" CI=true $cli run "$work/list.ipynb" --log-output | grep -E "median"
echo "shared store (PostgreSQL):"
NOTEBOOKML_HOME="$work/pg/.notebookml" NOTEBOOKML_STORE="$PG_URL" CI=true $cli run "$work/list.ipynb" --log-output | grep -E "median"
