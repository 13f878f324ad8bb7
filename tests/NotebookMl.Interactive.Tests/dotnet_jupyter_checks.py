"""NotebookMl.Interactive in dotnet-interactive's Jupyter kernel, driven by the real jupyter_client.

Usage: dotnet_jupyter_checks.py CHECKS.json OUT.json
CHECKS.json: {"cwd": FOLDER, "checks": [[NAME, CODE], ...]}, run in order in one kernel.
The kernelspec '.net-csharp' must be on JUPYTER_PATH. Each check's reply status and outputs
(text/plain and text/html of every display, stream text, errors) go to OUT.json, keyed by the check's
name; the C# test asserts.
"""
import json
import sys

from jupyter_client.manager import start_new_kernel

with open(sys.argv[1], encoding="utf-8") as f:
    spec = json.load(f)
out_path = sys.argv[2]

manager, client = start_new_kernel(kernel_name=".net-csharp", cwd=spec["cwd"], startup_timeout=120)
results = {}
try:
    for name, code in spec["checks"]:
        msg_id = client.execute(code)
        outputs = []
        while True:
            msg = client.get_iopub_msg(timeout=300)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind in ("display_data", "execute_result", "update_display_data"):
                outputs.append({"type": kind, "text": content["data"].get("text/plain", ""), "html": content["data"].get("text/html", "")})
            elif kind == "stream":
                outputs.append({"type": "stream", "text": content["text"]})
            elif kind == "error":
                outputs.append({"type": "error", "text": content["ename"] + ": " + content["evalue"]})
            elif kind == "status" and content["execution_state"] == "idle":
                break
        reply = client.get_shell_msg(timeout=60)
        results[name] = {"status": reply["content"]["status"], "outputs": outputs}
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)

with open(out_path, "w", encoding="utf-8") as f:
    json.dump(results, f, indent=1)
