#!/usr/bin/env bash
# NotebookMl.Interactive in dotnet-interactive 1.0.712001 vs the notebookml-csharp kernel (issue 13):
# the extension's load time and one verb's wall time in both hosts, same workspace, same run.
# Usage: tests/benchmarks/interactive_extension.sh [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
./build.sh pack >/dev/null
[ -x .tools/dotnet-interactive ] || dotnet tool install --tool-path .tools Microsoft.dotnet-interactive --version 1.0.712001 >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src/NotebookMl.Cli/bin/Release/net10.0/notebookml kernel install --prefix "$work/jupyter" >/dev/null
cd "$work"
JUPYTER_PATH="$work/jupyter/share/jupyter" NOTEBOOKML_HOME="$work/.notebookml" DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 \
  /usr/bin/python3 "$OLDPWD/tests/benchmarks/interactive_extension.py" "$OLDPWD/.tools/dotnet-interactive" "$OLDPWD/artifacts/packages" "$rounds"
