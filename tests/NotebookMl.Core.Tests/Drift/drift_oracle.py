"""SciPy 1.10's answers for the drift statistics (run under /usr/bin/python3): reads cases as JSON, writes results as JSON.

Each case list holds inputs; each answer is [statistic, p-value or null]. PSI has no SciPy function: it is computed here
with NumPy from its definition (reference-quantile bins, empty shares as 1e-4), independently of NotebookMl's code.
"""
import json
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial.distance import jensenshannon

assert scipy.__version__.startswith("1.10"), scipy.__version__


def bin_counts(reference, current, bins):
    """Both sides' counts in the reference's quantile bins (a constant reference v: below v, v, above v)."""
    reference = np.asarray(reference, dtype=float)
    current = np.asarray(current, dtype=float)
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    if len(edges) == 1:
        v = edges[0]
        counts = lambda x: np.array([np.sum(x < v), np.sum(x == v), np.sum(x > v)], dtype=float)
    else:
        interior = edges[1:-1]
        counts = lambda x: np.bincount(np.searchsorted(interior, x, side="right"), minlength=len(edges) - 1).astype(float)
    return counts(reference), counts(current)


def psi_of_counts(r, c):
    """PSI of two count vectors over the same bins, empty shares counted as 1e-4."""
    r = np.where(r > 0, r / r.sum(), 1e-4)
    c = np.where(c > 0, c / c.sum(), 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


def psi(reference, current, bins):
    return psi_of_counts(*bin_counts(reference, current, bins))


def main(path_in, path_out):
    with open(path_in) as f:
        cases = json.load(f)
    out = {}
    out["ks"] = [list(map(float, stats.ks_2samp(c["a"], c["b"])[:2])) for c in cases.get("ks", [])]
    out["kstwo"] = [[float(stats.kstwo.sf(c["d"], c["n"])), None] for c in cases.get("kstwo", [])]
    out["smirnov"] = [[float(special.smirnov(c["n"], c["d"])), None] for c in cases.get("smirnov", [])]
    out["wasserstein"] = [[float(stats.wasserstein_distance(c["a"], c["b"])), None] for c in cases.get("wasserstein", [])]
    chi = []
    for c in cases.get("chi2", []):
        r = stats.chi2_contingency(np.array([c["r"], c["c"]], dtype=float))
        chi.append([float(r[0]), float(r[1])])
    out["chi2"] = chi
    out["js"] = [[float(jensenshannon(c["p"], c["q"])), None] for c in cases.get("js", [])]
    out["psi"] = [[psi(c["a"], c["b"], c["bins"]), None] for c in cases.get("psi", [])]
    with open(path_out, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
