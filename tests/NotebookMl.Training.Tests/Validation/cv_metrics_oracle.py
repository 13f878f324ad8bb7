"""scikit-learn's metrics of each fold of an out-of-fold predictions file (CSV of the Parquet artifact: row, fold, label, score[, probability]),
and their mean and standard deviation (NumPy's), written as JSON. Used by CrossValidationTests; /usr/bin/python3."""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, log_loss, mean_absolute_error, mean_squared_error, r2_score, roc_auc_score

source, target = sys.argv[1], sys.argv[2]
oof = pd.read_csv(source, float_precision="round_trip")
folds = []
for _, part in oof.groupby("fold", sort=True):
    y = part["label"].to_numpy()
    if "probability" in part:
        p = part["probability"].to_numpy()
        folds.append({
            "auc": roc_auc_score(y, p),
            "log_loss": log_loss(y, p, eps=2.220446049250313e-16),
            "accuracy": accuracy_score(y, p > 0.5),
            "f1": f1_score(y, p > 0.5),
        })
    else:
        s = part["score"].to_numpy()
        folds.append({"rmse": mean_squared_error(y, s) ** 0.5, "mae": mean_absolute_error(y, s), "r2": r2_score(y, s)})

keys = folds[0].keys()
with open(target, "w") as f:
    json.dump({
        "folds": folds,
        "mean": {k: float(np.mean([f[k] for f in folds])) for k in keys},
        "std": {k: float(np.std([f[k] for f in folds])) for k in keys},
        "rows": oof["row"].tolist(),
        "fold": oof["fold"].tolist(),
    }, f)
