"""Independent oracle for point-in-time joins: pandas merge_asof.

Usage: pit_oracle.py FEATURES.csv ENTITIES.csv TTL_SECONDS OUT.csv
FEATURES.csv: key, event_timestamp, created, value   ENTITIES.csv: key, event_timestamp
For each entity row: the latest feature row of the same key with event_timestamp <= the entity's,
within TTL (inclusive), the latest created winning ties; entity row order kept.
"""
import sys
import pandas as pd

features_path, entities_path, ttl_seconds, out_path = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
features = pd.read_csv(features_path, parse_dates=["event_timestamp", "created"])
entities = pd.read_csv(entities_path, parse_dates=["event_timestamp"])
entities["row"] = range(len(entities))

features = (features.sort_values(["key", "event_timestamp", "created"])
            .drop_duplicates(["key", "event_timestamp"], keep="last")
            .rename(columns={"event_timestamp": "feature_time"}))
features["event_timestamp"] = features["feature_time"]
joined = pd.merge_asof(
    entities.sort_values("event_timestamp"),
    features.sort_values("event_timestamp")[["key", "event_timestamp", "value"]],
    on="event_timestamp", by="key", direction="backward", allow_exact_matches=True,
    tolerance=pd.Timedelta(seconds=ttl_seconds) if ttl_seconds > 0 else None)
joined.sort_values("row")[["key", "event_timestamp", "value"]].to_csv(out_path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
