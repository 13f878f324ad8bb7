"""Independent oracle for feature views: their rows, window aggregates and point-in-time join, in pandas.

Usage: view_oracle.py SPEC.json
SPEC: {"source": CSV, "entities": CSV, "entity_timestamp": column, "out": CSV,
       "views": [{"name", "derive", "keys": [...], "timestamp", "ttl_seconds",
                  "aggregates": [{"name", "function", "column", "window_seconds", "include_current"}]}]}
Each view's rows are derived from the source by pandas code of its own (`derive` names it): the SQL
of the definition is never run here. A window aggregate at a row's time t covers the key's rows in
[t - window, t), or [t - window, t] with include_current (pandas rolling, closed left / both).
Each entity row gets, per view, the latest row of its keys at or before its time within the TTL.
Writes one row per entity row, in order, with every aggregate (empty when missing).
"""
import json
import math
import sys

import numpy as np
import pandas as pd


def landed(source):
    # A flight lands at its scheduled departure + 45 min + distance / 7 (minutes, rounded up) + its
    # arrival delay, at least one minute after departure.
    minutes = np.maximum(45 + np.ceil(source["distance"] / 7.0) + source["delay"], 1)
    rows = source[["origin", "delay"]].copy()
    rows["landed_at"] = source["date"] + pd.to_timedelta(minutes, unit="m")
    return rows


DERIVE = {
    "identity": lambda source: source,
    "landed": landed,
    "without_k7": lambda source: source[source["key"] != "K7"],
}

FUNCTIONS = {"avg": "mean", "sum": "sum", "count": "count", "min": "min", "max": "max", "stddev": "std"}


def view_rows(source, view):
    keys, ts = view["keys"], view["timestamp"]
    rows = DERIVE[view["derive"]](source)
    rows = rows[rows[ts].notna()].sort_values(keys + [ts], kind="mergesort").reset_index(drop=True)
    out = rows[keys + [ts]].copy()
    for aggregate in view["aggregates"]:
        closed = "both" if aggregate["include_current"] else "left"
        window = pd.Timedelta(seconds=aggregate["window_seconds"])
        rolled = rows.set_index(ts).groupby(keys, sort=True)[aggregate["column"]].rolling(window, closed=closed)
        values = getattr(rolled, FUNCTIONS[aggregate["function"]])().to_numpy()
        if aggregate["function"] == "count":
            values = np.nan_to_num(values, nan=0.0)
        out[aggregate["name"]] = values
    # Rows of one key at one time are peers: a left-closed window leaves them all out, a closed one
    # takes them all in, which pandas gives to the first and the last peer respectively.
    first = out.groupby(keys + [ts], sort=False).first()
    last = out.groupby(keys + [ts], sort=False).last()
    for aggregate in view["aggregates"]:
        first[aggregate["name"]] = (last if aggregate["include_current"] else first)[aggregate["name"]]
    return first.reset_index().rename(columns={ts: "feature_time"})


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    source = pd.read_csv(spec["source"])
    for column in source.columns:
        if column in ("date", "ts"):
            source[column] = pd.to_datetime(source[column])
    entities = pd.read_csv(spec["entities"])
    time = spec["entity_timestamp"]
    entities[time] = pd.to_datetime(entities[time])
    entities["_row"] = range(len(entities))
    result = entities.sort_values(time, kind="mergesort")
    names = []
    for view in spec["views"]:
        rows = view_rows(source, view)
        rows[time] = rows["feature_time"]
        features = [a["name"] for a in view["aggregates"]]
        names += features
        ttl = view["ttl_seconds"]
        result = pd.merge_asof(
            result, rows.sort_values(time, kind="mergesort")[view["keys"] + [time] + features],
            on=time, by=view["keys"], direction="backward", allow_exact_matches=True,
            tolerance=pd.Timedelta(seconds=ttl) if ttl and not math.isinf(ttl) else None)
    result.sort_values("_row")[names].to_csv(spec["out"], index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
