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
