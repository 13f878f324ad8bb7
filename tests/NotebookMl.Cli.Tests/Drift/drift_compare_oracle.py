"""What SciPy 1.10 and NumPy answer for `notebookml drift compare REF.csv CUR.csv --method COLUMN=METHOD`, column by
column, computed here from the definitions the README gives and independently of NotebookMl's code (run under
/usr/bin/python3). Reads the two CSV files and the methods per column (JSON), writes {column: [statistic, p-value or null]}.

Missing values (empty fields) are left out. A numeric column's PSI, Jensen–Shannon and chi-square bins are the reference's
quantiles at 0, 1/10, …, 1 (NumPy's linear interpolation), repeated edges dropped; a constant reference gets three bins.
Categories (and, under auto, numeric columns with at most 5 distinct reference values) are binned by value.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

# The bins and PSI of the statistics' own oracle (tests/NotebookMl.Core.Tests/Drift/drift_oracle.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "NotebookMl.Core.Tests", "Drift"))
from drift_oracle import bin_counts, psi_of_counts  # noqa: E402


def category_counts(reference, current):
    r, c = pd.Series(reference).value_counts(), pd.Series(current).value_counts()
    keys = sorted(set(r.index) | set(c.index))
    return np.array([r.get(k, 0) for k in keys], dtype=float), np.array([c.get(k, 0) for k in keys], dtype=float)


def answer(reference, current, method, categorical):
    if method == "auto":
        few = categorical or len(np.unique(reference)) <= 5
        method = ("chi2" if len(reference) <= 1000 else "js") if few else ("ks" if len(reference) <= 1000 else "wasserstein")
        categorical = few
    if method == "ks":
        result = stats.ks_2samp(reference, current)
        return [float(result.statistic), float(result.pvalue)]
    if method == "wasserstein":
        return [float(stats.wasserstein_distance(reference, current) / max(np.std(reference), 0.001)), None]
    r, c = category_counts(reference, current) if categorical else bin_counts(reference, current, 10)
    if method == "psi":
        return [psi_of_counts(r, c), None]
    if method == "js":
        return [float(jensenshannon(r, c)), None]
    chi2, p, _, _ = stats.chi2_contingency(np.array([r, c]))
    return [float(chi2), float(p)]


def main(reference_path, current_path, methods_json, out_path):
    reference, current = pd.read_csv(reference_path), pd.read_csv(current_path)
    methods = json.loads(methods_json)
    out = {}
    for column, method in methods.items():
        categorical = reference[column].dtype == object
        r, c = reference[column].dropna().to_numpy(), current[column].dropna().to_numpy()
        if not categorical:
            r, c = r.astype(float), c.astype(float)
        out[column] = answer(r, c, method, categorical)
    with open(out_path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(*sys.argv[1:5])
