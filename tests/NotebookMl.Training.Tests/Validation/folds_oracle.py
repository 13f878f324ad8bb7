"""The folds of scikit-learn's splitters for the cases in INPUT (JSON), written to OUTPUT: per case, per fold, the train
and test indices. Used by FoldsTests as the oracle; run under /usr/bin/python3 (Debian's scikit-learn)."""
import json
import sys

import numpy as np
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit

source, target = sys.argv[1], sys.argv[2]
with open(source) as f:
    cases = json.load(f)

results = []
for case in cases:
    if case["kind"] in ("quicksort", "heapsort"):
        results.append(np.argsort(np.asarray(case["values"], dtype=np.int64), kind=case["kind"]).tolist())
        continue
    kind, k, n = case["kind"], case["k"], case["n"]
    X = np.zeros((n, 1))
    if kind == "kfold":
        splits = KFold(n_splits=k).split(X)
    elif kind == "stratified":
        splits = StratifiedKFold(n_splits=k, shuffle=False).split(X, np.asarray(case["y"]))
    elif kind == "group":
        splits = GroupKFold(n_splits=k).split(X, groups=np.asarray(case["groups"]))
    else:
        splits = TimeSeriesSplit(n_splits=k, gap=case["gap"]).split(X)
    results.append([[train.tolist(), test.tolist()] for train, test in splits])

with open(target, "w") as f:
    json.dump(results, f)
