#!/usr/bin/env bash
# Headless run benchmark: wall time of `notebookml run` on a 20-cell trivial C# notebook vs
# `jupyter nbconvert --execute` of the equivalent Python notebook on ipykernel, alternating,
# ROUNDS times each, same run. Prints each time, then medians and the ratio.
# Usage: tests/benchmarks/run_vs_nbconvert.sh [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
./build.sh >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PYDEVD_DISABLE_FILE_VALIDATION=1

/usr/bin/python3 - "$work" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
def make(path, cells, kernelspec):
    nb = new_notebook(metadata={"kernelspec": kernelspec})
    nb.cells = [new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
make(f"{sys.argv[1]}/trivial-csharp.ipynb", [f"var x{i} = {i};\nx{i} * 2" for i in range(20)],
     {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"})
make(f"{sys.argv[1]}/trivial-python.ipynb", [f"x{i} = {i}\nx{i} * 2" for i in range(20)],
     {"name": "python3", "display_name": "Python 3", "language": "python"})
PY

notebookml=src/NotebookMl.Cli/bin/Release/net10.0/notebookml
times="$work/times.txt"
for round in $(seq "$rounds"); do
  start=$EPOCHREALTIME
  /usr/bin/python3 -m nbconvert --to notebook --execute "$work/trivial-python.ipynb" --output "$work/py.out.ipynb" >/dev/null 2>&1
  echo "nbconvert $start $EPOCHREALTIME" | tee -a "$times"
  start=$EPOCHREALTIME
  CI=true "$notebookml" run "$work/trivial-csharp.ipynb" -o "$work/cs.out.ipynb" >/dev/null
  echo "notebookml $start $EPOCHREALTIME" | tee -a "$times"
done

/usr/bin/python3 - "$times" <<'PY'
import statistics, sys
rows = [(k, float(end) - float(start)) for k, start, end in (line.split() for line in open(sys.argv[1]))]
py = statistics.median(t for k, t in rows if k == "nbconvert")
cs = statistics.median(t for k, t in rows if k == "notebookml")
print(f"\nmedian wall time: nbconvert (ipykernel) {py:.2f} s, notebookml run {cs:.2f} s, ratio {cs / py:.2f}")
PY
