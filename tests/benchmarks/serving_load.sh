#!/usr/bin/env bash
# Serving under load (issue 15), wrk from Debian on this machine, the same 100-tree flight-delay model as serving.sh:
#  1. Dynamic batching: single-row requests at 32 connections (wrk -t2 -c32 -d10s) against `notebookml serve`
#     without batching and with --max-batch-size 64 --max-queue-delay 200 (µs).
#  2. 256-row requests (wrk -t2 -c4 -d10s): rows/s through the endpoint, as a share of in-process ONNX Runtime
#     on the same 256 rows (one InferenceSession, tensors built once, Run in a loop on 2 threads).
#  3. Hot swap: 10 promotions (the alias moved between versions 1 and 2 every 3 s) during a 30 s load at
#     16 connections: failed requests and p99.
# ROUNDS rounds of 1 and 2, medians. Usage: tests/benchmarks/serving_load.sh [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
command -v wrk >/dev/null || { echo "serving_load.sh: needs wrk (apt-get install -y wrk)" >&2; exit 2; }
source tests/benchmarks/serving_model.sh
"$cli" models register flights --run "$run_id" >/dev/null
"$cli" models alias flights champion 1 >/dev/null

/usr/bin/python3 - <<'PY'
import json
one = {"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [733]},
                  {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]},
                  {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}
json.dump(one, open("one.json", "w"))
origins = ["ORD", "ATL", "DFW", "LAX", "SEA", "DEN", "BOS", "SFO"]
many = {"inputs": [{"name": "distance", "datatype": "FP32", "shape": [256, 1], "data": [200 + 7 * i for i in range(256)]},
                   {"name": "origin", "datatype": "BYTES", "shape": [256, 1], "data": [origins[i % 8] for i in range(256)]},
                   {"name": "hour", "datatype": "FP32", "shape": [256, 1], "data": [i % 24 for i in range(256)]}]}
json.dump(many, open("many.json", "w"))
for name in ("one", "many"):
    open(f"{name}.lua", "w").write(f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal f = io.open("{name}.json", "r"); wrk.body = f:read("*a"); f:close()\n'
        'done = function(s, l, r) io.write(string.format("non2xx=%d errors=%d\\n", s.errors.status, s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout)) end\n')
PY

# In-process ONNX Runtime on the same 256 rows: the limit for 256-row requests.
/usr/bin/python3 - "$work" "$(dirname "$cli")" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
work = sys.argv[1]
nb = new_notebook(metadata={"kernelspec": {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"}})
nb.cells = [new_code_cell(f"""#r "{sys.argv[2]}/Microsoft.ML.OnnxRuntime.dll"
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
string[] origins = ["ORD", "ATL", "DFW", "LAX", "SEA", "DEN", "BOS", "SFO"];
var session = new InferenceSession(System.IO.File.ReadAllBytes(@"{work}/model.onnx"));
var inputs = new List<NamedOnnxValue> {{
    NamedOnnxValue.CreateFromTensor("distance", new DenseTensor<float>(Enumerable.Range(0, 256).Select(i => 200f + 7 * i).ToArray(), [256, 1])),
    NamedOnnxValue.CreateFromTensor("origin", new DenseTensor<string>(Enumerable.Range(0, 256).Select(i => origins[i % 8]).ToArray(), [256, 1])),
    NamedOnnxValue.CreateFromTensor("hour", new DenseTensor<float>(Enumerable.Range(0, 256).Select(i => (float)(i % 24)).ToArray(), [256, 1])) }};
for (var i = 0; i < 200; i++) {{ using var warm = session.Run(inputs); }}
var rates = new List<double>();
for (var round = 0; round < 3; round++)
{{
    var calls = 0L;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    System.Threading.Tasks.Parallel.For(0, 2, _ => {{ while (clock.Elapsed.TotalSeconds < 5) {{ using var r = session.Run(inputs); System.Threading.Interlocked.Increment(ref calls); }} }});
    rates.Add(calls * 256 / clock.Elapsed.TotalSeconds);
}}
Console.WriteLine($"in-process rows/s: {{rates.Order().ElementAt(1):0}}");
""")]
nbformat.write(nb, f"{work}/inprocess.ipynb")
PY
"$cli" run inprocess.ipynb --log-output 2>/dev/null | grep "in-process rows/s" | tee results.txt

plain=$(free_port); batched=$(free_port)
"$cli" serve --port "$plain" > plain.log 2>&1 & pids+=($!)
"$cli" serve --port "$batched" --max-batch-size 64 --max-queue-delay 200 > batched.log 2>&1 & pids+=($!)
for port in "$plain" "$batched"; do
  for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/v2/health/ready" && break; sleep 1; done
done
for round in $(seq "$rounds"); do
  for name in plain batched; do
    port=$([ "$name" = plain ] && echo "$plain" || echo "$batched")
    wrk -t2 -c32 -d10s --latency -s one.lua "http://127.0.0.1:$port/v2/models/flights/infer" > "c32-$name-$round.txt"
    echo "$name round $round: $(awk '/Requests\/sec/ {print $2}' "c32-$name-$round.txt") req/s at 32 connections, p99 $(awk '$1 == "99%" {print $2}' "c32-$name-$round.txt") ($(grep non2xx "c32-$name-$round.txt"))" | tee -a results.txt
  done
  wrk -t2 -c4 -d10s -s many.lua "http://127.0.0.1:$plain/v2/models/flights/infer" > "many-$round.txt"
  echo "256-row round $round: $(awk '/Requests\/sec/ {print $2}' "many-$round.txt") req/s ($(grep non2xx "many-$round.txt"))" | tee -a results.txt
done

# Hot swap: 10 promotions during 30 s of load.
wrk -t2 -c16 -d30s --latency -s one.lua "http://127.0.0.1:$plain/v2/models/flights/infer" > swap.txt &
load=$!
for i in $(seq 10); do sleep 2.8; "$cli" models alias flights champion $(( i % 2 + 1 )) --reason "swap $i under load" >/dev/null; done
wait "$load"
sleep 1
swaps=$(grep -c "swapped in" plain.log || true)
echo "hot swap: $(awk '/Requests\/sec/ {print $2}' swap.txt) req/s over 30 s with $swaps swaps, p99 $(awk '$1 == "99%" {print $2}' swap.txt), $(grep non2xx swap.txt)" | tee -a results.txt

/usr/bin/python3 - <<'PY'
import re, statistics
text = open("results.txt").read()
def med(pattern): return statistics.median(float(x) for x in re.findall(pattern, text))
plain, batched = med(r"plain round \d+: ([\d.]+)"), med(r"batched round \d+: ([\d.]+)")
rows = med(r"256-row round \d+: ([\d.]+)") * 256
inproc = float(re.search(r"in-process rows/s: ([\d.]+)", text).group(1))
print(f"median single-row at 32 connections: {plain:.0f} req/s without batching, {batched:.0f} with (x{batched / plain:.2f})")
print(f"median 256-row requests: {rows:.0f} rows/s through the endpoint, {inproc:.0f} in-process: {100 * rows / inproc:.0f} %")
PY
