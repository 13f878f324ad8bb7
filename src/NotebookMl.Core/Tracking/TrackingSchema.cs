using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Tracking;

/// <summary>The tracking tables in the workspace store.</summary>
public static class TrackingSchema
{
    /// <summary>The component's schema steps.</summary>
    public static readonly StoreSchema Schema = new("tracking",
    [
        """
        CREATE TABLE experiments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL);
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            experiment_id INTEGER NOT NULL REFERENCES experiments(id),
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            git_commit TEXT,
            git_dirty INTEGER,
            notebook TEXT,
            cell TEXT,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            process_start TEXT NOT NULL,
            environment TEXT NOT NULL);
        CREATE INDEX runs_experiment ON runs (experiment_id, started);
        CREATE INDEX runs_status ON runs (status);
        CREATE TABLE params (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key)) WITHOUT ROWID;
        CREATE TABLE tags (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key)) WITHOUT ROWID;
        CREATE TABLE metrics (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value REAL,
            step INTEGER NOT NULL,
            timestamp INTEGER NOT NULL);
        CREATE INDEX metrics_run_key ON metrics (run_id, key, step);
        CREATE TABLE latest_metrics (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value REAL,
            step INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            PRIMARY KEY (run_id, key)) WITHOUT ROWID;
        CREATE TABLE artifacts (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (run_id, path)) WITHOUT ROWID;
        CREATE INDEX artifacts_sha256 ON artifacts (sha256);
        CREATE TABLE inputs (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            digest TEXT NOT NULL,
            source TEXT NOT NULL,
            schema TEXT,
            context TEXT,
            PRIMARY KEY (run_id, name, digest)) WITHOUT ROWID;
        """,
        // Step 2: on PostgreSQL a foreign key is checked by a trigger per row, which halves the rate of COPY for metric
        // points; their run is known to exist (the run logs them), and deleting a run deletes its points itself.
        """
        -- postgresql only
        ALTER TABLE metrics DROP CONSTRAINT IF EXISTS metrics_run_id_fkey;
        """,
        // Step 3: runs ordered by a metric read the latest values of that key in order, from this index.
        """
        CREATE INDEX latest_metrics_key_value ON latest_metrics (key, value);
        """,
    ],
    [
        new("experiments", ["id"], Identity: true), new("runs", ["id"]), new("params", ["run_id", "key"]), new("tags", ["run_id", "key"]),
        new("metrics", [], "run_id"), new("latest_metrics", ["run_id", "key"]), new("artifacts", ["run_id", "path"]), new("inputs", ["run_id", "name", "digest"]),
    ]);
}
