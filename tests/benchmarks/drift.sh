#!/usr/bin/env bash
# Drift benchmarks (issue 17), same run, same CSV files, end to end as a user runs them (process start, reading the
# files, every statistic, the report):
#  1. long: 3,000,000 reference rows against 1,000,000 current rows, two numeric columns (Kolmogorov–Smirnov) and one
#     categorical with 300 categories (chi-square).
#  2. wide: 500 numeric columns of 20,000 rows on each side (Kolmogorov–Smirnov), the shape Evidently users report as
#     slow (evidently#763, #1526).
# NotebookMl: `notebookml drift compare REF CUR --method ks --method cat=chi2 --json`. Peer: what Evidently runs per
# column, pandas.read_csv then scipy.stats.ks_2samp / chi2_contingency per column (Evidently itself is not installed
# here). The script fails unless both give the same statistics and p-values (relative 1e-9), then prints medians of ROUNDS
# alternating rounds and ratios.
# Usage: tests/benchmarks/drift.sh [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
./build.sh >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cli="$(pwd)/src/NotebookMl.Cli/bin/Release/net10.0/notebookml"

/usr/bin/python3 - "$work" <<'PY'
import sys
import numpy as np
import pandas as pd
work = sys.argv[1]
rng = np.random.default_rng(17)
cats = np.array([f"c{i}" for i in range(300)])
def long(n, shift):
    return pd.DataFrame({
        "x": rng.normal(shift, 1, n).round(4),
        "y": rng.exponential(1 + shift, n).round(4),
        "cat": cats[np.minimum(rng.zipf(1.3 + shift, n), 300) - 1],
    })
long(3_000_000, 0).to_csv(f"{work}/long_ref.csv", index=False)
long(1_000_000, 0.02).to_csv(f"{work}/long_cur.csv", index=False)
def wide(n, shift):
    return pd.DataFrame({f"f{i}": rng.normal(shift * (i % 3), 1, n).round(4) for i in range(500)})
wide(20_000, 0).to_csv(f"{work}/wide_ref.csv", index=False)
wide(20_000, 0.03).to_csv(f"{work}/wide_cur.csv", index=False)
PY

cat > "$work/peer.py" <<'PY'
import json, sys
import numpy as np
import pandas as pd
from scipy import stats
ref, cur = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
out = {}
for column in ref.columns:
    if ref[column].dtype == object:
        r, c = ref[column].value_counts(), cur[column].value_counts()
        keys = sorted(set(r.index) | set(c.index))
        table = np.array([[r.get(k, 0) for k in keys], [c.get(k, 0) for k in keys]], dtype=float)
        chi2, p, _, _ = stats.chi2_contingency(table)
        out[column] = [float(chi2), float(p)]
    else:
        result = stats.ks_2samp(ref[column].dropna(), cur[column].dropna())
        out[column] = [float(result.statistic), float(result.pvalue)]
json.dump(out, open(sys.argv[3], "w"))
PY

/usr/bin/python3 - "$work" "$rounds" "$cli" <<'PY'
import json, statistics, subprocess, sys, time
work, rounds, cli = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def timed(command, out=None):
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=work)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    if out:
        open(out, "w").write(result.stdout)
    return seconds
for name in ["long", "wide"]:
    ref, cur = f"{work}/{name}_ref.csv", f"{work}/{name}_cur.csv"
    ours, peer = [], []
    for _ in range(rounds):
        methods = ["--method", "ks"] + (["--method", "cat=chi2"] if name == "long" else [])
        ours.append(timed([cli, "drift", "compare", ref, cur, *methods, "--json"], f"{work}/ours.json"))
        peer.append(timed(["/usr/bin/python3", f"{work}/peer.py", ref, cur, f"{work}/peer.json"]))
    mine = {c["column"]: (c["statistic"], c["p_value"]) for c in json.load(open(f"{work}/ours.json"))["columns"]}
    theirs = json.load(open(f"{work}/peer.json"))
    # The same answers or no timing: relative 1e-9 on statistic and p-value (both below 1e-300 where SciPy underflows).
    def off(ours_value, peer_value):
        if ours_value < 1e-300 and peer_value < 1e-300:
            return 0.0
        return abs(ours_value - peer_value) / max(abs(peer_value), 1e-300)
    worst = max(max(off(mine[k][0], v[0]), off(mine[k][1], v[1])) for k, v in theirs.items())
    if worst > 1e-9:
        raise SystemExit(f"{name}: NotebookMl and SciPy disagree: largest relative difference {worst:.1e}")
    a, b = statistics.median(ours), statistics.median(peer)
    print(f"{name}: {len(theirs)} columns; NotebookMl {a:.2f} s, pandas+SciPy {b:.2f} s, speed-up {b / a:.1f}x "
          f"(rounds: {', '.join(f'{x:.2f}' for x in ours)} vs {', '.join(f'{x:.2f}' for x in peer)}); largest relative difference {worst:.1e}")
PY
