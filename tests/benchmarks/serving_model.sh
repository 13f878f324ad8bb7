# Sourced by serving.sh and serving_load.sh: builds, makes a workspace in a temporary folder (removed on exit, with
# every process started into $pids), and trains the benchmark model there: a 100-tree LightGBM flight-delay model
# (distance, origin, hour) on January 2001, registered as flights/1 (also written to $work/model.onnx).
./build.sh >/dev/null
repo="$(pwd)"
cli="$repo/src/NotebookMl.Cli/bin/Release/net10.0/notebookml"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cd "$work"
mkdir -p .notebookml
export NOTEBOOKML_HOME="$work/.notebookml" CI=true
query="SELECT distance, origin, hour(date) AS hour, delay > 15 AS late FROM source WHERE date < '2001-02-01'"
run_id=$("$cli" train --data "$repo/datasets/flights-3m.parquet" --query "$query" --label late --trees 100 --threads 2 --onnx model.onnx --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['run_id'])")
"$cli" models register flights --run "$run_id" >/dev/null
free_port() { /usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
