#!/usr/bin/env bash
# Kernel benchmark: startup (start -> kernel_info reply), trivial-cell round trip p50/p99 and RSS
# after N cells, for NotebookMl and ipykernel side by side in the same run, alternating, ROUNDS
# times each, with ../shared/bench/kernel_latency.py (the real jupyter_client). Prints each run as
# JSON, then medians and ratios. Each round also starts fresh kernels for the first cell, the first
# completion and the first hover (tests/benchmarks/kernel_first_use.py), timed request to reply, and
# one NotebookMl kernel for the heap and RSS it keeps per cell (tests/benchmarks/kernel_growth.py).
# Usage: tests/benchmarks/kernel_latency.sh [N=1000] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-1000}"
rounds="${2:-3}"
bench="$(cd .. && pwd)/shared/bench/kernel_latency.py"
[ -f "$bench" ] || { echo "kernel_latency.sh: $bench not found (shared/ sits beside the repository)" >&2; exit 2; }

./build.sh >/dev/null
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
src/NotebookMl.Cli/bin/Release/net10.0/notebookml kernel install --prefix "$prefix" >/dev/null
export JUPYTER_PATH="$prefix/share/jupyter" PYDEVD_DISABLE_FILE_VALIDATION=1

runs="$prefix/runs.jsonl"
first="$prefix/first.jsonl"
growth="$prefix/growth.jsonl"
for round in $(seq "$rounds"); do
  for kernel in python3 notebookml-csharp; do
    /usr/bin/python3 "$bench" "$kernel" "$n" 2>/dev/null | tee -a "$runs"
    language=$([ "$kernel" = python3 ] && echo python || echo csharp)
    /usr/bin/python3 tests/benchmarks/kernel_first_use.py "$kernel" "$language" 2>/dev/null | tee -a "$first"
  done
  /usr/bin/python3 tests/benchmarks/kernel_growth.py notebookml-csharp "$n" 2>/dev/null | tee -a "$growth"
done

/usr/bin/python3 - "$runs" "$first" "$growth" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
firsts = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    firsts.setdefault(r["kernel"], []).append(r)
for r in runs:
    f = firsts[r["kernel"]].pop(0) if firsts.get(r["kernel"]) else {}
    r.update({k: v for k, v in f.items() if k.startswith("first_") and k != "first_cell_s"})
def median(kernel, key):
    return statistics.median(r[key] for r in runs if r["kernel"] == kernel)
keys = ["startup_s", "first_cell_s", "first_complete_s", "first_inspect_s", "exec_p50_ms", "exec_p99_ms", "rss_mb_after"]
print(f"\n{'metric':<18}{'ipykernel':>12}{'notebookml':>12}{'ratio':>8}")
for key in keys:
    py, cs = median("python3", key), median("notebookml-csharp", key)
    print(f"{key:<18}{py:>12}{cs:>12}{cs / py:>8.2f}")
growth = [json.loads(line) for line in open(sys.argv[3])]
for key in ["rss_mb_start", "heap_kb_per_cell", "rss_kb_per_cell"]:
    print(f"{key:<18}{'':>12}{statistics.median(g[key] for g in growth):>12}")
PY
