#!/usr/bin/env bash
# Feature store benchmarks, same run:
#  1. Historical retrieval: the 3,000,000 flights (origin, date) joined point-in-time to origin_hourly
#     (per origin and hour, ~424,000 rows; features/flights.yaml). NotebookMl is timed from the Parquet
#     source to a DataFrame in memory, twice a round: with the view's rows computed by DuckDB (its cache
#     cleared first), then with them kept from that call (as pandas has the view's rows in memory);
#     pandas merge_asof (by origin, backward) from frames already in memory, sorting included. ROUNDS
#     rounds each, medians, ratios.
#  2. Online lookup of 10 features for 1 key, 10,000 lookups after a warm-up: p50/p99 on the embedded
#     SQLite store and on a real redis-server (started here on a free port).
# Usage: tests/benchmarks/feature_store.sh [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
./build.sh >/dev/null
work="$(mktemp -d)"
port=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null; rm -rf "$work"' EXIT
repo="$(pwd)"

/usr/bin/python3 - "$work" "$rounds" "$repo" "$port" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
work, rounds, repo, port = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
nb = new_notebook(metadata={"kernelspec": {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"}})
nb.cells = [new_code_cell(f"""
using NotebookMl.Core.Features;
using NotebookMl.Core.Datasets;
var store = FeatureStore.ForCurrentWorkspace();
store.Apply(FeatureDefinitionsFile.Read(@"{repo}/features/flights.yaml"));
// The same data for pandas: flights and the view's rows as CSV.
var flights = SampleDataset.Flights3m.LoadDataFrame();
DataFrame.SaveCsv(flights, @"{work}/flights.csv");
DataFrame.SaveCsv(store.ReadView("origin_hourly"), @"{work}/origin_hourly.csv");
var computed = new List<double>();
var cached = new List<double>();
var wanted = FeatureReference.ParseList("origin_hourly:mean_delay_1h,origin_hourly:flights_1h");
for (var round = 0; round < {rounds}; round++)
{{
    store.ClearViewRowsCache();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var result = store.GetHistoricalFeatures(SampleDataset.Flights3m.Path, wanted, "date");
    computed.Add(clock.Elapsed.TotalSeconds);
    clock.Restart();
    var again = store.GetHistoricalFeatures(SampleDataset.Flights3m.Path, wanted, "date");
    cached.Add(clock.Elapsed.TotalSeconds);
    Console.WriteLine($"notebookml round {{round + 1}}: {{computed[^1]:0.000}} s view computed, {{cached[^1]:0.000}} s view rows kept; {{result.Frame.Rows.Count}} rows, {{result.Frame["mean_delay_1h"].NullCount}} and {{again.Frame["mean_delay_1h"].NullCount}} without a feature");
}}
Console.WriteLine($"notebookml median view computed: {{computed.Order().ElementAt(computed.Count / 2):0.000}} s");
Console.WriteLine($"notebookml median view rows kept: {{cached.Order().ElementAt(cached.Count / 2):0.000}} s");
"""),
new_code_cell(f"""
// Online lookups: a view with 10 features and no TTL, materialized, then 10,000 lookups of one key.
System.IO.File.WriteAllText(@"{work}/online.yaml", @"
feature_views:
  origin_hourly_10:
    entities: [airport]
    source: {repo}/datasets/flights-3m.parquet
    query: |
      SELECT origin, date_trunc('hour', date) + INTERVAL 1 HOUR AS event_timestamp,
             avg(delay) AS f1, min(delay) AS f2, max(delay) AS f3, stddev(delay) AS f4, count(*) AS f5,
             sum(delay) AS f6, avg(distance) AS f7, min(distance) AS f8, max(distance) AS f9, count(DISTINCT destination) AS f10
      FROM source GROUP BY ALL
    features: {{f1: double, f2: double, f3: double, f4: double, f5: int64, f6: double, f7: double, f8: double, f9: double, f10: int64}}
");
var features = FeatureReference.ParseList(string.Join(",", Enumerable.Range(1, 10).Select(i => $"origin_hourly_10:f{{i}}")));
var key = new Dictionary<string, object?> {{ ["origin"] = "SEA" }};
void Measure(string name, FeatureStore online)
{{
    online.Apply(FeatureDefinitionsFile.Read(@"{work}/online.yaml"));
    online.Materialize(new DateTime(2001, 1, 1), new DateTime(2001, 7, 2), new[] {{ "origin_hourly_10" }});
    for (var i = 0; i < 1000; i++) online.GetOnlineFeatures(features, key);
    var samples = new double[10000];
    for (var i = 0; i < samples.Length; i++)
    {{
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var values = online.GetOnlineFeatures(features, key);
        samples[i] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (values.Count != 10 || values["origin_hourly_10:f1"] is null) throw new Exception("missing values");
    }}
    Array.Sort(samples);
    Console.WriteLine($"online {{name}}: p50 {{samples[5000]:0.000}} ms, p99 {{samples[9900]:0.000}} ms, max {{samples[^1]:0.000}} ms");
}}
Measure("sqlite", store);
Measure("redis", FeatureStore.Open(NotebookMl.Core.Workspaces.WorkspaceLocation.Current(), RedisOnlineStore.Connect("127.0.0.1:{port}")));
""")]
nbformat.write(nb, f"{work}/bench.ipynb")
PY

(cd "$work" && mkdir -p .notebookml && CI=true "$repo/src/NotebookMl.Cli/bin/Release/net10.0/notebookml" run bench.ipynb --log-output --cell-timeout 900) | grep -E "round|median|online" | tee "$work/notebookml.txt"

/usr/bin/python3 - "$work" "$rounds" <<'PY' | tee "$work/pandas.txt"
import sys, time, statistics
import pandas as pd
work, rounds = sys.argv[1], int(sys.argv[2])
flights = pd.read_csv(f"{work}/flights.csv", parse_dates=["date"])
view = pd.read_csv(f"{work}/origin_hourly.csv", parse_dates=["event_timestamp"])[["origin", "event_timestamp", "mean_delay_1h", "flights_1h"]]
times = []
for r in range(rounds):
    start = time.perf_counter()
    left = flights.sort_values("date")
    right = view.sort_values("event_timestamp")
    joined = pd.merge_asof(left, right, left_on="date", right_on="event_timestamp", by="origin", direction="backward", tolerance=pd.Timedelta(days=1))
    times.append(time.perf_counter() - start)
    print(f"pandas merge_asof round {r + 1}: {times[-1]:.3f} s, {len(joined)} rows, {joined['mean_delay_1h'].isna().sum()} without a feature")
print(f"pandas median: {statistics.median(times):.3f} s")
PY

# Ratios: pandas' median over each NotebookMl median (above 1: NotebookMl is faster).
pandas=$(sed -n 's/^pandas median: \([0-9.]*\) s/\1/p' "$work/pandas.txt")
for kind in "view computed" "view rows kept"; do
  ours=$(sed -n "s/^notebookml median $kind: \([0-9.]*\) s/\1/p" "$work/notebookml.txt")
  awk -v p="$pandas" -v o="$ours" -v k="$kind" 'BEGIN { printf "ratio pandas / notebookml (%s): %.2f\n", k, p / o }'
done
