#!/usr/bin/env bash
# How far the flights move between months (issue 25): PSI of every input the example models take, and of the delays
# themselves, between January and June and between January–May and June, from datasets/flights-3m.parquet (all rows),
# as `notebookml drift compare --method psi` computes it (10 reference-quantile bins for numbers, one bin per category).
# The README quotes this output ("Monitoring and retraining"), and the example trigger's max_psi and the retrain
# notebook's drift gate are set from it.
# Usage: tests/benchmarks/drift_months.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
./build.sh >/dev/null
cli="$(pwd)/src/NotebookMl.Cli/bin/Release/net10.0/notebookml"
flights="$(pwd)/datasets/flights-3m.parquet"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
columns="SELECT distance, origin, destination, hour(date) AS hour, dayofweek(date) AS weekday, delay FROM source"
june="$columns WHERE month(date) = 6"
for range in "January:month(date) = 1" "January–May:month(date) BETWEEN 1 AND 5"; do
  name="${range%%:*}"
  start=$(date +%s.%N)
  (cd "$work" && "$cli" drift compare "$flights" "$flights" --reference-query "$columns WHERE ${range#*:}" --current-query "$june" --method psi --json > "$work/$name.json" 2>/dev/null)
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  /usr/bin/python3 - "$work/$name.json" "$name" "$seconds" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
columns = sorted(report["columns"], key=lambda c: -c["statistic"])
rows = {c["column"]: c["quality"] for c in columns}
print(f"{sys.argv[2]} against June ({rows['distance']['reference_rows']:,} and {rows['distance']['current_rows']:,} flights, {float(sys.argv[3]):.1f} s):")
for c in columns:
    print(f"  {c['column']:<12} PSI {c['statistic']:.4f}")
PY
done
