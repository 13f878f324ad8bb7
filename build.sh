#!/usr/bin/env bash
# ./build.sh        restore and build (Release)
# ./build.sh pack   also pack the .NET Interactive extension into artifacts/packages/
# ./build.sh test   also install what the tests need (apt, Debian/Ubuntu; dotnet-interactive into .tools/), pack, and run every test
set -euo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Release}"
# System packages the tests drive for real: the Jupyter client stack, nbconvert, ipykernel (the
# peer kernel), under Debian's /usr/bin/python3; pandas (the point-in-time oracle, merge_asof);
# scikit-learn (the metrics oracle); SciPy (the drift statistics' oracle, drift_oracle.py); PyYAML (the exported
# Kubernetes and GitHub Actions schedules must parse, export_reader.py);
# redis-server (the Redis online store, started by the tests on a free port); python3-prometheus-client
# (the serving endpoint's /metrics must parse with the real Prometheus parser); python3-onnx (onnx.checker
# full_check on every exported model); dataset-fashion-mnist (the CNN trains on its idx files);
# jupyter-notebook, chromium, chromium-driver and python3-selenium (the browser tests: charts must
# draw in a real browser, tests/browser/notebook_in_browser.py); wrk (load on an endpoint whose prediction log cannot
# write, PredictionLogTests); tmux (tables as a real terminal of 80, 120 and 200 columns shows them, TerminalTableTests);
# postgresql (the shared store: the tests start a real server in a temporary data directory, as the postgres user, on a free port);
# node and npm (s3rver, the S3-compatible server the shared artifact tests start on loopback; installed into .tools/s3rver):
# Debian's nodejs and npm where there is no npm yet (a nodejs from elsewhere brings its own npm, and conflicts with Debian's).
test_packages=(python3-jupyter-client python3-nbclient python3-nbformat jupyter-nbconvert python3-ipykernel python3-pandas python3-sklearn python3-scipy python3-yaml redis-server python3-onnx python3-prometheus-client dataset-fashion-mnist
  jupyter-notebook chromium chromium-driver python3-selenium wrk tmux postgresql)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

install_test_packages() {
  install_packages "${test_packages[@]}"
}

install_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "build.sh: these packages are needed: ${missing[*]}" >&2
    echo "build.sh: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  echo "build.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() {
  dotnet build NotebookMl.sln -c "$configuration" -v quiet -nologo -clp:NoSummary
}

# The .NET Interactive extension, loaded with #i "nuget: $PWD/artifacts/packages" then #r "nuget: NotebookMl.Interactive".
# NuGet keeps a package version once restored, so the copy a host restored before is dropped.
pack() {
  dotnet pack extensions/NotebookMl.Interactive -c "$configuration" -o artifacts/packages -v quiet -nologo
  rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/notebookml.interactive"
}

# The real dotnet-interactive (Polyglot Notebooks' and the dotnet Jupyter kernel's engine) for the extension's tests.
dotnet_interactive_version=1.0.712001
install_dotnet_interactive() {
  [ -x .tools/dotnet-interactive ] && grep -q "$dotnet_interactive_version" <(.tools/dotnet-interactive --version 2>/dev/null) && return 0
  dotnet tool install --tool-path .tools Microsoft.dotnet-interactive --version "$dotnet_interactive_version" >/dev/null
}

# s3rver from npm: a real S3-compatible server (signatures, multipart, listing) for the shared artifact root's tests.
s3rver_version=3.7.1
install_s3rver() {
  [ -x .tools/s3rver/node_modules/.bin/s3rver ] && grep -q "\"version\": \"$s3rver_version\"" .tools/s3rver/node_modules/s3rver/package.json 2>/dev/null && return 0
  command -v npm >/dev/null || install_packages nodejs npm
  npm install --prefix .tools/s3rver --no-audit --no-fund --loglevel=error "s3rver@$s3rver_version" >/dev/null
}

run_tests() {
  install_test_packages
  install_dotnet_interactive
  install_s3rver
  build
  pack
  local results
  results="$(mktemp -d)"
  local status=0
  # Test projects run one after another: the machine has 2 cores and the kernel tests start real kernels.
  dotnet test NotebookMl.sln -c "$configuration" --no-build -m:1 \
    --logger "trx" --results-directory "$results" -- RunConfiguration.DisableParallelization=true \
    || status=$?
  summarize "$results"
  rm -rf "$results"
  return $status
}

# One closing line, 'N passed, N failed', totalled over every test project's results.
summarize() {
  /usr/bin/python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
}

case "${1:-build}" in
  build) build ;;
  pack) build && pack ;;
  test) run_tests ;;
  *) echo "usage: ./build.sh [build|pack|test]" >&2; exit 2 ;;
esac
