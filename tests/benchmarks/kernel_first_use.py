#!/usr/bin/python3
"""What a person waits for in a fresh kernel, with the real jupyter_client: kernel start (to the
kernel_info reply), then, in one fresh kernel each, the first cell, the first completion and the
first hover (Shift+Tab), each timed from its request to its reply. The second benchmark script
beside kernel_latency.sh; run by tests/benchmarks/kernel_latency.sh.
Usage: /usr/bin/python3 kernel_first_use.py KERNEL_NAME LANGUAGE(csharp|python)"""
import json, sys, time
from jupyter_client.manager import start_new_kernel

CODE = {
    "csharp": {"cell": "1+1", "complete": "Console.Wri", "inspect": "Console.WriteLine"},
    "python": {"cell": "1+1", "complete": "import os\nos.pa", "inspect": "print"},
}


def fresh(name):
    t0 = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=120)
    return km, kc, time.perf_counter() - t0


def timed(kc, send, reply_type):
    t = time.perf_counter()
    msg_id = send()
    while True:
        reply = kc.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            assert reply["msg_type"] == reply_type, reply["msg_type"]
            return time.perf_counter() - t, reply


def main(name, language):
    code = CODE[language]
    results = {"kernel": name}
    for what in ("cell", "complete", "inspect"):
        km, kc, startup = fresh(name)
        try:
            results.setdefault("startup_s", round(startup, 3))
            if what == "cell":
                seconds, _ = timed(kc, lambda: kc.execute(code["cell"]), "execute_reply")
            elif what == "complete":
                seconds, reply = timed(kc, lambda: kc.complete(code["complete"], len(code["complete"])), "complete_reply")
                assert reply["content"]["matches"], reply["content"]
            else:
                seconds, _ = timed(kc, lambda: kc.inspect(code["inspect"], len(code["inspect"])), "inspect_reply")
            results[f"first_{what}_s"] = round(seconds, 3)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
