#!/usr/bin/env bash
# Model registry benchmarks (issue 14), same run:
#  1. Reference statistics at registration for the flights training set: the 3,000,000 flights before
#     2001-06-01 (~2.5M rows; origin, destination, distance, hour, weekday, and a LightGBM model's
#     probability on every row), profiled by ReferenceData.Statistics (101 quantiles + decile bins per
#     number, top-50 + other per category, nulls); seconds and bytes of the saved JSON. Peer: pandas on
#     the same columns from memory (quantile of 101 points, decile histogram, value_counts, isna).
#  2. models:/NAME@champion resolve + load to a ready in-process predictor (open the registry, resolve
#     the alias, read and hash-check the ONNX, create the ONNX Runtime session, predict one row), with 1
#     version in the registry and with 1,000; the floor is the same ONNX file loaded straight into ONNX
#     Runtime. ROUNDS rounds each, medians.
# Usage: tests/benchmarks/registry.sh [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
./build.sh >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$(pwd)"

/usr/bin/python3 - "$work" "$rounds" "$repo" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
work, rounds, repo = sys.argv[1], sys.argv[2], sys.argv[3]
def cell(code):
    return new_code_cell(code.replace("WORK", work).replace("ROUNDS", rounds).replace("REPO", repo))
nb = new_notebook(metadata={"kernelspec": {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"}})
nb.cells = [cell("""
using NotebookMl.Core.Data;
using NotebookMl.Core.Registry;
using NotebookMl.Training.Tabular;
using NotebookMl.Training.Registry;
double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
var rows = DataFiles.Read(@"REPO/datasets/flights-3m.parquet",
    "SELECT origin, destination, distance, hour(date) AS hour, dayofweek(date) AS weekday, delay > 15 AS late FROM source WHERE date < '2001-06-01'");
var sample = DataFiles.Read(@"REPO/datasets/flights-3m.parquet",
    "SELECT origin, destination, distance, hour(date) AS hour, dayofweek(date) AS weekday, delay > 15 AS late FROM source WHERE date < '2001-06-01' USING SAMPLE 100000 ROWS");
var trained = TabularTrainer.Train(sample, new TrainingOptions { Label = "late", Tree = new TreeOptions { Trees = 50 }, Threads = 2, Experiment = null });
var predictions = trained.Predictions(rows);
DataFrame.SaveCsv(rows, @"WORK/rows.csv");
System.IO.File.WriteAllLines(@"WORK/probability.csv", predictions["probability"].Select(p => p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
var seconds = new List<double>();
ReferenceStatistics reference = null!;
for (var round = 0; round < ROUNDS; round++)
{
    var clock = System.Diagnostics.Stopwatch.StartNew();
    reference = ReferenceData.Statistics(rows, null, trained.Inputs, predictions);
    seconds.Add(clock.Elapsed.TotalSeconds);
    Console.WriteLine($"notebookml reference round {round + 1}: {seconds[^1]:0.000} s for {reference.Rows:N0} rows");
}
var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(reference, RegistryJson.Options);
Console.WriteLine($"notebookml reference median: {Median(seconds):0.000} s");
Console.WriteLine($"notebookml reference bytes: {json.Length}");
System.IO.File.WriteAllBytes(@"WORK/model.onnx", trained.ExportOnnx(sample[Enumerable.Range(0, 2000)]));
"""), cell("""
var workspace = new NotebookMl.Core.Workspaces.WorkspaceLocation(@"WORK/registry", @"WORK/registry/.notebookml").EnsureCreated();
var onnx = System.IO.File.ReadAllBytes(@"WORK/model.onnx");
var registration = ModelRegistrations.FromOnnx(onnx, sample.Head(2000));
var one = sample.Head(1);
var registry = ModelRegistry.Open(workspace);
void Time(string label)
{
    var load = new List<double>();
    var floor = new List<double>();
    for (var round = 0; round < ROUNDS; round++)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var model = ModelRegistry.Open(workspace).Load(ModelUri.Parse("models:/flights@champion")))
        {
            model.Predict(one, "probability");
        }
        load.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        using (var model = LoadedModel.FromOnnx(System.IO.File.ReadAllBytes(@"WORK/model.onnx"), "file"))
        {
            model.Predict(one, "probability");
        }
        floor.Add(clock.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"notebookml load median {label}: {Median(load):0.00} ms (onnx file straight into ONNX Runtime: {Median(floor):0.00} ms)");
}
registry.Register("flights", registration);
registry.SetAlias("flights", "champion", 1);
Time("1 version");
var clock = System.Diagnostics.Stopwatch.StartNew();
for (var i = 2; i <= 1000; i++) registry.Register("flights", registration);
Console.WriteLine($"notebookml registered 999 versions: {clock.Elapsed.TotalSeconds:0.00} s ({999 / clock.Elapsed.TotalSeconds:0} per second)");
registry.SetAlias("flights", "champion", 1000);
Time("1000 versions");
""")]
nbformat.write(nb, f"{work}/bench.ipynb")
PY

(cd "$work" && mkdir -p .notebookml && CI=true "$repo/src/NotebookMl.Cli/bin/Release/net10.0/notebookml" run bench.ipynb --log-output --cell-timeout 1800) | grep -E "^notebookml " | tee "$work/notebookml.txt"

/usr/bin/python3 - "$work" "$rounds" <<'PY' | tee "$work/pandas.txt"
import sys, time, statistics, numpy as np, pandas as pd
work, rounds = sys.argv[1], int(sys.argv[2])
rows = pd.read_csv(f"{work}/rows.csv", dtype={"origin": "string", "destination": "string"})
rows["probability"] = pd.read_csv(f"{work}/probability.csv", header=None)[0].astype("float32")
numeric, categorical = ["distance", "hour", "weekday", "probability"], ["origin", "destination"]
times = []
for r in range(rounds):
    start = time.perf_counter()
    for c in numeric:
        values = rows[c].dropna().to_numpy(dtype="float64")
        quantiles = np.quantile(values, np.linspace(0, 1, 101))
        counts, _ = np.histogram(values, bins=np.unique(quantiles[::10]))
        nulls = rows[c].isna().sum()
    for c in categorical:
        top = rows[c].value_counts().head(50)
        nulls = rows[c].isna().sum()
    times.append(time.perf_counter() - start)
    print(f"pandas reference round {r + 1}: {times[-1]:.3f} s for {len(rows):,} rows")
print(f"pandas reference median: {statistics.median(times):.3f} s")
PY

pandas=$(sed -n 's/^pandas reference median: \([0-9.]*\) s/\1/p' "$work/pandas.txt")
ours=$(sed -n 's/^notebookml reference median: \([0-9.]*\) s/\1/p' "$work/notebookml.txt")
awk -v p="$pandas" -v o="$ours" 'BEGIN { printf "ratio notebookml / pandas (reference statistics): %.2f\n", o / p }'
