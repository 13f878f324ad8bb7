"""The metrics oracle: scikit-learn computes every figure NotebookMl reports, from the same predictions.

Usage: metrics_oracle.py INPUT.json OUTPUT.json
INPUT holds {"binary": {"label": [bool], "probability": [float]},
             "regression": {"label": [float], "prediction": [float]},
             "multiclass": {"label": [int], "probabilities": [[float]], "classes": int}}.
"""
import json
import sys

import numpy as np
from sklearn import metrics


def binary(case):
    y = np.array(case["label"], dtype=bool)
    p = np.array(case["probability"], dtype=np.float64)
    predicted = p > 0.5
    tn, fp, fn, tp = metrics.confusion_matrix(y, predicted, labels=[False, True]).ravel()
    return {
        "auc": metrics.roc_auc_score(y, p),
        "pr_auc": metrics.average_precision_score(y, p),
        "log_loss": metrics.log_loss(y, p, labels=[False, True]),
        "accuracy": metrics.accuracy_score(y, predicted),
        "f1": metrics.f1_score(y, predicted, zero_division=0),
        "confusion": [int(tp), int(fp), int(tn), int(fn)],
    }


def regression(case):
    y = np.array(case["label"], dtype=np.float64)
    p = np.array(case["prediction"], dtype=np.float64)
    return {
        "rmse": float(np.sqrt(metrics.mean_squared_error(y, p))),
        "mae": metrics.mean_absolute_error(y, p),
        "r2": metrics.r2_score(y, p),
    }


def multiclass(case):
    y = np.array(case["label"], dtype=np.int64)
    probabilities = np.array(case["probabilities"], dtype=np.float64)
    classes = list(range(case["classes"]))
    predicted = probabilities.argmax(axis=1)
    return {
        "accuracy": metrics.accuracy_score(y, predicted),
        "macro_f1": metrics.f1_score(y, predicted, average="macro", zero_division=0),
        "micro_f1": metrics.f1_score(y, predicted, average="micro", zero_division=0),
        "log_loss": metrics.log_loss(y, probabilities, labels=classes),
        "confusion": metrics.confusion_matrix(y, predicted, labels=classes).tolist(),
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    result = {name: globals()[name](case) for name, case in cases.items()}
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(result, f, default=float)


if __name__ == "__main__":
    main()
