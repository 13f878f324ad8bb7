#!/usr/bin/env bash
# Training benchmarks, same run (issue 5):
#  1. LightGBM (ML.NET, NotebookMl's train path) vs XGBoost hist (Debian python3-xgboost) on the same rows and
#     features: flights 2001-01..05 train, June test; distance, hour, weekday, month, origin, destination; label
#     delay > 15. Learning rate 0.1, 2 threads, 200 trees: XGBoost at depth 8 (the issue's reference) and 10;
#     LightGBM at 255 leaves (the shape of depth 8) and 1023 leaves (5 rows per leaf). Training time (fit only)
#     and test AUC. Then the AUC gained by adding feature-store aggregates to LightGBM (1023 leaves): the origin's
#     landed flights (origin_landed, leak-free), the hourly mean it replaced (leaks), the 7-day/30-day windows;
#     XGBoost again with origin_landed. Every fit ROUNDS times: each time and the median.
#  2. Batch inference on the June rows (raw features in, probability out): the exported ONNX model in ONNX
#     Runtime (C#) vs ML.NET's own prediction of the same model. Rows/s, median of ROUNDS.
# Usage: tests/benchmarks/training.sh [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
for package in python3-xgboost python3-sklearn python3-pandas python3-nbformat; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ -n "${missing[*]:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "training.sh: install ${missing[*]} (apt)" >&2; exit 2; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
./build.sh >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$(pwd)"

/usr/bin/python3 - "$work" "$rounds" "$repo" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
work, rounds, repo = sys.argv[1], int(sys.argv[2]), sys.argv[3]
nb = new_notebook(metadata={"kernelspec": {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"}})
nb.cells = [new_code_cell(f"""
using NotebookMl.Core.Data;
using NotebookMl.Core.Features;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Tabular;
var frame = DataFiles.Read(@"{repo}/datasets/flights-3m.parquet",
    "SELECT date, distance, hour(date) AS hour, dayofweek(date) AS weekday, month(date) AS month, origin, destination, delay > 15 AS late FROM source");
DataFrame.SaveCsv(frame, @"{work}/flights.csv");
var testFrom = new DateTime(2001, 6, 1);
var shaped = new TrainingOptions {{ Label = "late", Split = SplitKind.Time, TimeColumn = "date", TestFrom = testFrom, Tree = new TreeOptions {{ Trees = 200, Leaves = 255, LearningRate = 0.1 }}, Threads = 2, Experiment = null }};
var options = shaped with {{ Tree = shaped.Tree with {{ Leaves = 1023, MinRowsPerLeaf = 5 }} }};

// The feature sets: the origin's landed flights (leak-free, features/flights.yaml), the hourly mean it
// replaced (leaks: flights of the last hour that have not landed), and the 7/30-day windows.
var store = FeatureStore.ForCurrentWorkspace();
var shipped = FeatureDefinitionsFile.Read(@"{repo}/features/flights.yaml");
var hourly = new FeatureView {{ Name = "origin_hourly", Entities = ["airport"], Source = @"{repo}/datasets/flights-3m.parquet", TimestampColumn = "event_timestamp", Ttl = TimeSpan.FromDays(1),
    Query = "SELECT origin, date_trunc('hour', date) + INTERVAL 1 HOUR AS event_timestamp, avg(delay) AS mean_delay_1h FROM source GROUP BY ALL",
    Features = [new Feature("mean_delay_1h", FeatureType.Double)] }};
store.Apply(shipped with {{ Views = [.. shipped.Views, hourly] }});
var sets = new (string Name, DataFrame Frame)[]
{{
    ("none", frame),
    ("origin_landed (leak-free)", store.GetHistoricalFeatures(frame, FeatureReference.ParseList("origin_landed:mean_landed_delay_3h,origin_landed:landed_3h"), "date").Frame),
    ("origin_hourly (leaks)", store.GetHistoricalFeatures(frame, FeatureReference.ParseList("origin_hourly:mean_delay_1h"), "date").Frame),
    ("7d/30d windows", store.GetHistoricalFeatures(frame, FeatureReference.ParseList("origin_delays:mean_delay_7d,origin_delays:flights_7d,route_delays:mean_route_delay_30d"), "date").Frame),
}};
DataFrame.SaveCsv(sets[1].Frame, @"{work}/flights_landed.csv");

var fits = new Dictionary<string, List<double>>();
TrainedTabularModel model = null!;
for (var round = 1; round <= {rounds}; round++)
{{
    foreach (var (name, leaves, trainOn) in new[] {{ ("255 leaves", shaped, sets[0]), ("1023 leaves", options, sets[0]), ("1023 leaves", options, sets[1]), ("1023 leaves", options, sets[2]), ("1023 leaves", options, sets[3]) }})
    {{
        var trained = TabularTrainer.Train(trainOn.Frame, leaves);
        var key = $"lightgbm {{name}} + {{trainOn.Name}}";
        (fits.TryGetValue(key, out var times) ? times : fits[key] = []).Add(trained.TrainingSeconds);
        Console.WriteLine($"lightgbm round {{round}}: {{name}} + {{trainOn.Name}}: fit {{trained.TrainingSeconds:0.00}} s, test AUC {{trained.Binary!.Auc:0.0000}}, {{trained.Rows.Train:N0}} training rows, {{trained.Rows.Test:N0}} test rows");
        if (name == "1023 leaves" && trainOn.Name == "none") model = trained;
    }}
}}
double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
foreach (var (key, times) in fits) Console.WriteLine($"lightgbm median: {{key}}: fit {{Median(times):0.00}} s ({{string.Join(", ", times.Select(t => t.ToString("0.00")))}})");

var dates = (PrimitiveDataFrameColumn<DateTime>)frame["date"];
var test = frame[Enumerable.Range(0, (int)frame.Rows.Count).Where(i => dates[i] >= testFrom)];
var onnx = model.ExportOnnx(test[Enumerable.Range(0, 2000)]);
var mlnet = new List<double>();
var ort = new List<double>();
for (var round = 0; round < {rounds}; round++)
{{
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var fromMlNet = model.Predict(test).Probability!;
    mlnet.Add(test.Rows.Count / clock.Elapsed.TotalSeconds);
    clock.Restart();
    var fromOnnx = OnnxParity.Run(onnx, test, "probability")["probability"];
    ort.Add(test.Rows.Count / clock.Elapsed.TotalSeconds);
    Console.WriteLine($"inference round {{round + 1}}: ML.NET {{mlnet[^1]:N0}} rows/s, ONNX Runtime {{ort[^1]:N0}} rows/s, largest difference {{OnnxParity.Largest(fromOnnx, fromMlNet).Difference:G2}}");
}}
Console.WriteLine($"inference median: ML.NET {{Median(mlnet):N0}} rows/s, ONNX Runtime {{Median(ort):N0}} rows/s, ratio {{Median(ort) / Median(mlnet):0.00}}");
""")]
nbformat.write(nb, f"{work}/training.ipynb")
PY

echo "== NotebookMl (notebookml run, C# kernel)"
(cd "$work" && NOTEBOOKML_HOME="$work/.notebookml" "$repo/src/NotebookMl.Cli/bin/Release/net10.0/notebookml" run training.ipynb --log-output) | grep -E "^(lightgbm|inference)"

echo "== XGBoost $(/usr/bin/python3 -c 'import xgboost; print(xgboost.__version__)') hist"
/usr/bin/python3 - "$work/flights.csv" "$work/flights_landed.csv" "$rounds" <<'PY'
import sys, time, statistics
import pandas as pd, xgboost as xgb
from sklearn.metrics import roc_auc_score
rounds = int(sys.argv[3])
for path, extra in ((sys.argv[1], []), (sys.argv[2], ["mean_landed_delay_3h", "landed_3h"])):
    df = pd.read_csv(path, parse_dates=["date"])
    df["late"] = df["late"].astype(str).str.lower() == "true"
    for column in ["origin", "destination"]:
        df[column] = df[column].astype("category")
    features = ["distance", "hour", "weekday", "month", "origin", "destination"] + extra
    train, test = df[df.date < "2001-06-01"], df[df.date >= "2001-06-01"]
    dtrain = xgb.DMatrix(train[features], label=train.late, enable_categorical=True)
    dtest = xgb.DMatrix(test[features], enable_categorical=True)
    for depth in (8, 10):
        params = {"tree_method": "hist", "max_depth": depth, "eta": 0.1, "objective": "binary:logistic", "nthread": 2}
        times = []
        for round in range(rounds):
            start = time.perf_counter()
            booster = xgb.train(params, dtrain, num_boost_round=200)
            times.append(time.perf_counter() - start)
        label = " + origin_landed (leak-free)" if extra else ""
        print(f"xgboost depth {depth}{label}: fit median {statistics.median(times):.2f} s ({', '.join(f'{t:.2f}' for t in times)}), test AUC {roc_auc_score(test.late, booster.predict(dtest)):.4f}, {len(train):,} training rows, {len(test):,} test rows")
PY
