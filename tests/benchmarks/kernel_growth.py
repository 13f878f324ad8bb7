#!/usr/bin/python3
"""What a long session keeps per cell, with the real jupyter_client: in one fresh kernel, after a
first cell and 3 s for the background work of the start, the managed heap after full GCs and the
RSS, reported by a C# cell; then N cells declaring and showing a variable; then again. Prints the
growth per cell as JSON. Run by tests/benchmarks/kernel_latency.sh.
Usage: /usr/bin/python3 kernel_growth.py KERNEL_NAME N"""
import json, sys, time
from jupyter_client.manager import start_new_kernel

PROBE = ('System.GC.Collect(); System.GC.WaitForPendingFinalizers(); System.GC.Collect(); '
         '$"{System.GC.GetTotalMemory(true) / 1e6:0.0} {System.Environment.WorkingSet / 1e6:0.0}"')


def run(kc, code):
    msg_id, result = kc.execute(code), None
    while True:
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            result = msg["content"]["data"]["text/plain"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return result


def memory(kc):
    heap, rss = (float(x) for x in run(kc, PROBE).strip('"').split())
    return heap, rss


def main(name, n):
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=120)
    try:
        time.sleep(3)
        run(kc, "1+1")
        heap0, rss0 = memory(kc)
        for i in range(n):
            run(kc, f"var v{i % 10} = {i} * 2;\nv{i % 10}")
        heap1, rss1 = memory(kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps({"kernel": name, "cells": n, "rss_mb_start": rss0, "rss_mb_end": rss1,
                      "heap_kb_per_cell": round((heap1 - heap0) * 1000 / n, 1),
                      "rss_kb_per_cell": round((rss1 - rss0) * 1000 / n, 1)}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
