# Sourced by the serving benchmarks: builds, makes a workspace in a temporary folder (removed on exit, with every
# process started into $pids) and enters it. Gives $repo, $cli, $work, free_port, and export_csv SQL FILE, which writes
# the rows a DuckDB query over datasets/flights-3m.parquet (the relation `source`) returns as CSV, through a notebook.
./build.sh >/dev/null
repo="$(pwd)"
cli="$repo/src/NotebookMl.Cli/bin/Release/net10.0/notebookml"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cd "$work"
mkdir -p .notebookml
export NOTEBOOKML_HOME="$work/.notebookml" CI=true
free_port() { /usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
export_csv() {
  /usr/bin/python3 - "$work" "$repo" "$1" "$2" <<'PY'
import sys, nbformat
from nbformat.v4 import new_notebook, new_code_cell
work, repo, query, out = sys.argv[1:5]
nb = new_notebook(metadata={"kernelspec": {"name": "notebookml-csharp", "display_name": "C# (NotebookMl)", "language": "C#"}})
literal = query.replace('"', '""')
nb.cells = [new_code_cell(f'Microsoft.Data.Analysis.DataFrame.SaveCsv(NotebookMl.Core.Data.DataFiles.Read(@"{repo}/datasets/flights-3m.parquet", @"{literal}"), @"{work}/{out}");')]
nbformat.write(nb, f"{work}/export.ipynb")
PY
  "$cli" run export.ipynb >/dev/null
}
# wrk_round NAME URL ROUND: throughput with 16 connections (wrk -t2 -c16 -d10s) then latency with one (--latency),
# posting body.json through post.lua (write_post_lua), and one line in results.txt that wrk_medians.py reads.
write_post_lua() {
  {
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/json"'
    [ -n "${1:-}" ] && echo "wrk.headers[\"Authorization\"] = \"Bearer $1\""
    cat <<'LUA'
local f = io.open("body.json", "r"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  io.write(string.format("non2xx=%d errors=%d\n", summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
  } > post.lua
}
wrk_round() {
  local name="$1" url="$2" round="$3"
  wrk -t2 -c16 -d10s -s post.lua "$url" > "tp-$name-$round.txt"
  wrk -t1 -c1 -d10s --latency -s post.lua "$url" > "lat-$name-$round.txt"
  local rps p50 p99 lrps
  rps=$(awk '/Requests\/sec/ {print $2}' "tp-$name-$round.txt")
  p50=$(awk '$1 == "50%" {print $2}' "lat-$name-$round.txt"); p99=$(awk '$1 == "99%" {print $2}' "lat-$name-$round.txt")
  lrps=$(awk '/Requests\/sec/ {print $2}' "lat-$name-$round.txt")
  echo "$name round $round: $rps req/s at 16 connections ($(grep non2xx "tp-$name-$round.txt")); one connection: $lrps req/s, p50 $p50, p99 $p99" | tee -a results.txt
}
