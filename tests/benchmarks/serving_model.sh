# Sourced by serving.sh and serving_load.sh: the workspace (serving_workspace.sh), and the benchmark model trained
# there: a 100-tree LightGBM flight-delay model (distance, origin, hour) on January 2001, registered as flights/1
# (also written to $work/model.onnx).
source tests/benchmarks/serving_workspace.sh
query="SELECT distance, origin, hour(date) AS hour, delay > 15 AS late FROM source WHERE date < '2001-02-01'"
run_id=$("$cli" train --data "$repo/datasets/flights-3m.parquet" --query "$query" --label late --trees 100 --threads 2 --onnx model.onnx --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['run_id'])")
"$cli" models register flights --run "$run_id" >/dev/null
