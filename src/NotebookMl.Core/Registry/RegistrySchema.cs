using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Registry;

/// <summary>
/// The registry's tables in the workspace store (component <c>registry</c>). Step 2 adds each version's
/// signature, reference statistics and prediction sample (artifacts by hash), promotion policies, the
/// event log, and webhooks with their delivery record. Step 3 adds the digest of each version's training rows.
/// Step 4 adds the traffic routes (canary and shadow) endpoints follow. Step 5 adds the drift gate's window to policies.
/// Step 6 adds the webhook outbox: deliveries waiting for their next try. Step 7 adds the drift gate's minimum rows to policies.
/// </summary>
public static class RegistrySchema
{
    /// <summary>The component's schema steps.</summary>
    public static readonly StoreSchema Schema = new("registry",
    [
        """
        CREATE TABLE registered_models (
            name TEXT PRIMARY KEY,
            description TEXT,
            created TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE model_versions (
            name TEXT NOT NULL REFERENCES registered_models(name),
            version INTEGER NOT NULL,
            run_id TEXT,
            onnx_sha256 TEXT NOT NULL,
            onnx_size INTEGER NOT NULL,
            metrics TEXT NOT NULL DEFAULT '{}',
            params TEXT NOT NULL DEFAULT '{}',
            feature_views TEXT NOT NULL DEFAULT '{}',
            tags TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'READY',
            created TEXT NOT NULL,
            created_by TEXT NOT NULL,
            PRIMARY KEY (name, version)) WITHOUT ROWID;
        CREATE TABLE model_aliases (
            name TEXT NOT NULL REFERENCES registered_models(name),
            alias TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (name, alias),
            FOREIGN KEY (name, version) REFERENCES model_versions(name, version)) WITHOUT ROWID;
        CREATE TABLE alias_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            from_version INTEGER,
            to_version INTEGER,
            time TEXT NOT NULL,
            who TEXT NOT NULL,
            reason TEXT,
            gates TEXT NOT NULL DEFAULT '[]');
        CREATE INDEX alias_history_model ON alias_history (name, id);
        """,
        """
        ALTER TABLE model_versions ADD COLUMN description TEXT;
        ALTER TABLE model_versions ADD COLUMN signature TEXT NOT NULL DEFAULT '{"inputs":[],"outputs":[]}';
        ALTER TABLE model_versions ADD COLUMN reference_sha256 TEXT;
        ALTER TABLE model_versions ADD COLUMN sample_sha256 TEXT;
        CREATE TABLE promotion_policies (
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            require TEXT NOT NULL DEFAULT '[]',
            max_drift REAL,
            PRIMARY KEY (name, alias)) WITHOUT ROWID;
        CREATE TABLE registry_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER,
            alias TEXT,
            from_version INTEGER,
            time TEXT NOT NULL,
            who TEXT NOT NULL);
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL,
            secret TEXT NOT NULL,
            events TEXT NOT NULL,
            model TEXT,
            created TEXT NOT NULL);
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            webhook_id INTEGER NOT NULL,
            event_id INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            time TEXT NOT NULL,
            status INTEGER,
            error TEXT,
            delivered INTEGER NOT NULL);
        CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id, webhook_id);
        """,
        """
        ALTER TABLE model_versions ADD COLUMN dataset_digest TEXT;
        """,
        """
        CREATE TABLE traffic_routes (
            name TEXT NOT NULL REFERENCES registered_models(name),
            kind TEXT NOT NULL CHECK (kind IN ('canary', 'shadow')),
            alias TEXT NOT NULL,
            percent REAL,
            time TEXT NOT NULL,
            who TEXT NOT NULL,
            PRIMARY KEY (name, kind)) WITHOUT ROWID;
        """,
        """
        ALTER TABLE promotion_policies ADD COLUMN drift_window_seconds REAL;
        """,
        """
        CREATE TABLE webhook_outbox (
            webhook_id INTEGER NOT NULL,
            event_id INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            due TEXT NOT NULL,
            claimed_until TEXT,
            PRIMARY KEY (webhook_id, event_id)) WITHOUT ROWID;
        CREATE INDEX webhook_outbox_due ON webhook_outbox (due);
        """,
        """
        ALTER TABLE promotion_policies ADD COLUMN drift_min_rows INTEGER;
        """,
    ],
    [
        new("registered_models", ["name"]), new("model_versions", ["name", "version"]), new("model_aliases", ["name", "alias"]), new("alias_history", ["id"], Identity: true),
        new("promotion_policies", ["name", "alias"]), new("registry_events", ["id"], Identity: true), new("webhooks", ["id"], Identity: true), new("webhook_deliveries", ["id"], Identity: true),
        new("traffic_routes", ["name", "kind"]), new("webhook_outbox", ["webhook_id", "event_id"]),
    ]);
}
