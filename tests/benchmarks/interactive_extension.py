"""NotebookMl.Interactive in dotnet-interactive against the notebookml kernel, same run, same workspace.

Usage (from tests/benchmarks/interactive_extension.sh): interactive_extension.py DOTNET_INTERACTIVE PACKAGES ROUNDS
Measures, with the real clients (dotnet-interactive's stdio protocol as Polyglot Notebooks speaks it;
jupyter_client for the notebookml-csharp kernel, whose kernelspec must be on JUPYTER_PATH):
- the extension's load: #i/#r sent → CommandSucceeded (a fresh dotnet-interactive each round);
- the same verb (#!runs list over 200 runs) in each host: request → reply, median of ROUNDS.
"""
import json, statistics, subprocess, sys, time
from jupyter_client.manager import start_new_kernel

tool, packages, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
load = f'#i "nuget: {packages}"\n#r "nuget: NotebookMl.Interactive, 0.1.0"'
verb = "#!runs list -e bench -n 200"


class Stdio:
    def __init__(self):
        self.p = subprocess.Popen([tool, "stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.n = 0

    def submit(self, code):
        self.n += 1
        token = f"b{self.n}"
        start = time.perf_counter()
        self.p.stdin.write(json.dumps({"token": token, "commandType": "SubmitCode", "command": {"code": code, "targetKernelName": "csharp"}}) + "\n")
        self.p.stdin.flush()
        for line in self.p.stdout:
            if not line.startswith("{"):
                continue
            e = json.loads(line)
            if e.get("eventType") in ("CommandSucceeded", "CommandFailed") and e["command"]["token"] == token:
                assert e["eventType"] == "CommandSucceeded", e
                return time.perf_counter() - start
        raise RuntimeError("dotnet-interactive exited")

    def close(self):
        self.p.kill()


def ours(code, client):
    start = time.perf_counter()
    reply = client.execute_interactive(code, timeout=300, output_hook=lambda m: None)
    assert reply["content"]["status"] == "ok", reply["content"]
    return time.perf_counter() - start


manager, client = start_new_kernel(kernel_name="notebookml-csharp", startup_timeout=120)
ours('using NotebookMl.Core.Tracking;\nvar t = Tracker.ForCurrentWorkspace();\nfor (var i = 0; i < 200; i++) { using var r = t.StartRun("bench", $"r{i}"); r.LogParam("i", i).LogMetric("auc", i / 400.0); }', client)
ours(verb, client)
ours_times = [ours(verb, client) for _ in range(rounds)]
client.stop_channels(); manager.shutdown_kernel(now=True)

loads, dni_times = [], []
for _ in range(rounds):
    host = Stdio()
    host.submit("1 + 1")  # the kernel is up
    loads.append(host.submit(load))
    host.submit(verb)
    dni_times.extend(host.submit(verb) for _ in range(3))
    host.close()

med = statistics.median
print(f"extension load (#i/#r → CommandSucceeded, NuGet cache warm): median {med(loads):.2f} s ({', '.join(f'{t:.2f}' for t in loads)})")
print(f"{verb}: notebookml-csharp median {med(ours_times) * 1000:.1f} ms, dotnet-interactive median {med(dni_times) * 1000:.1f} ms, ratio {med(dni_times) / med(ours_times):.2f}")
