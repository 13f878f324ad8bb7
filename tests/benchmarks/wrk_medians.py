"""Medians per server of the rounds wrk_round (serving_workspace.sh) wrote to results.txt: prints one line per server
and leaves them in a dict for the caller's ratios. Usage: python3 wrk_medians.py results.txt A B (ratio of A to B)."""
import re
import statistics
import sys


def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) round \d+: ([\d.]+) req/s .*one connection: ([\d.]+) req/s, p50 (\S+), p99 (\S+)", line)
    rows.setdefault(m[1], []).append((float(m[2]), float(m[3]), ms(m[4]), ms(m[5])))
med = {k: [statistics.median(c) for c in zip(*v)] for k, v in rows.items()}
for k, (rps, lrps, p50, p99) in med.items():
    print(f"median {k}: {rps:.0f} req/s at 16 connections; one connection {lrps:.0f} req/s, p50 {p50:.3f} ms, p99 {p99:.3f} ms")
a, b = sys.argv[2], sys.argv[3]
print(f"throughput ratio {a} / {b}: {med[a][0] / med[b][0]:.3f}; p50 ratio {med[a][2] / med[b][2]:.3f}")
