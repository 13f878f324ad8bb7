using System.Globalization;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Predictions;

/// <summary>
/// The monitoring index: which Parquet files hold a model's prediction log (<see cref="Predictions"/>), late labels
/// (<see cref="Feedback"/>) and drift history (<see cref="Drift"/>). They are written under
/// <c>.notebookml/KIND/MODEL/</c> as ever, and in the embedded workspace that folder is all there is (until
/// <c>store copy</c> indexes it). With a shared artifact root (<c>artifacts:</c> or <c>NOTEBOOKML_ARTIFACTS</c>) each file
/// is also stored in the root by content (<c>monitoring-files/sha256/…</c>) and listed in the store's <c>monitoring_files</c> table by kind, model and its name under
/// that folder. So every workspace on the store reads what every replica, notebook and pipeline wrote, fetching each file
/// into its local cache once, by digest.
/// </summary>
public static class MonitoringFiles
{
    /// <summary>The endpoint's prediction log (<c>date=YYYY-MM-DD/part-*.parquet</c>).</summary>
    public const string Predictions = "predictions";

    /// <summary>Late labels sent with <c>models feedback</c>.</summary>
    public const string Feedback = "feedback";

    /// <summary>Drift over time, one file per computation.</summary>
    public const string Drift = "monitoring";

    /// <summary>The monitoring index's table in the workspace store.</summary>
    public static readonly StoreSchema Schema = new("monitoring",
    [
        """
        CREATE TABLE monitoring_files (
            kind TEXT NOT NULL,
            model TEXT NOT NULL,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            written_at TEXT NOT NULL,
            PRIMARY KEY (kind, model, name));
        """,
    ],
    [new("monitoring_files", ["kind", "model", "name"])]);

    /// <summary>The local folder of <paramref name="model"/>'s files of <paramref name="kind"/>.</summary>
    public static string Folder(WorkspaceLocation workspace, string kind, string model) => Path.Combine(workspace.StateFolder, kind, model);

    /// <summary>
    /// Makes <paramref name="file"/> (written under <see cref="Folder"/>) seen by every workspace on a shared store: its bytes
    /// go to the artifact root before its row goes to the index. Nothing happens in the embedded workspace. Publishing the
    /// same name again does nothing.
    /// </summary>
    public static void Publish(WorkspaceLocation workspace, string kind, string model, string file, DateTimeOffset at)
    {
        if (ArtifactSettings.IsShared(workspace))
        {
            var database = WorkspaceDatabase.Open(workspace);
            database.Migrate(Schema);
            Index(database, ArtifactSettings.Open(workspace, ArtifactSettings.MonitoringArea), kind, model, NameOf(Folder(workspace, kind, model), file), file, at);
        }
    }

    /// <summary>
    /// Indexes the files of an embedded workspace's state folder <paramref name="stateFolder"/> that its index lacks, so that
    /// <c>store copy</c> takes them along; returns how many. Their bytes are stored by content beside them.
    /// </summary>
    public static int IndexLocal(string stateFolder, WorkspaceDatabase database, IBlobStore blobs, DateTimeOffset at)
    {
        database.Migrate(Schema);
        var content = new ContentStore(blobs, ArtifactSettings.MonitoringArea, Path.Combine(stateFolder, "cache"));
        var indexed = 0;
        foreach (var kind in new[] { Predictions, Feedback, Drift }.Where(k => Directory.Exists(Path.Combine(stateFolder, k))))
        {
            foreach (var folder in Directory.GetDirectories(Path.Combine(stateFolder, kind)).Order(StringComparer.Ordinal))
            {
                var model = Path.GetFileName(folder);
                var known = Indexed(database, kind, model).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var file in Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (!known.Contains(NameOf(folder, file)))
                    {
                        Index(database, content, kind, model, NameOf(folder, file), file, at);
                        indexed++;
                    }
                }
            }
        }

        return indexed;
    }

    /// <summary>
    /// The Parquet files of <paramref name="model"/>'s <paramref name="kind"/> whose names <paramref name="keep"/> accepts,
    /// ordered by name: the local ones, and every one in the store's index, fetched into the cache (a local file wins over
    /// the index's file of the same name). None: an empty list.
    /// </summary>
    public static IReadOnlyList<string> Files(WorkspaceLocation workspace, string kind, string model, Func<string, bool>? keep = null)
    {
        keep ??= _ => true;
        var folder = Folder(workspace, kind, model);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories))
            {
                if (keep(NameOf(folder, file)))
                {
                    files[NameOf(folder, file)] = file;
                }
            }
        }

        // An embedded workspace has an index only after 'store copy' brought one; reading never creates its store.
        if (ArtifactSettings.IsShared(workspace) || StoreSettings.Of(workspace) is not null || File.Exists(Path.Combine(workspace.StateFolder, WorkspaceDatabase.FileName)))
        {
            var content = ArtifactSettings.Open(workspace, ArtifactSettings.MonitoringArea);
            foreach (var (name, sha256) in Indexed(WorkspaceDatabase.Open(workspace), kind, model).Where(f => !files.ContainsKey(f.Name) && keep(f.Name)))
            {
                files[name] = content.Fetch(sha256, $"{kind} of {model}: {name}");
            }
        }

        return files.Values.ToArray();
    }

    private static void Index(WorkspaceDatabase database, ContentStore content, string kind, string model, string name, string file, DateTimeOffset at)
    {
        (string Sha256, long Size) stored;
        using (var stream = File.OpenRead(file))
        {
            stored = content.Put(stream);
        }

        using var connection = database.Connect();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO monitoring_files (kind, model, name, sha256, bytes, written_at) VALUES (@kind, @model, @name, @sha256, @bytes, @at)
            ON CONFLICT (kind, model, name) DO NOTHING
            """;
        insert.Parameters.AddWithValue("@kind", kind);
        insert.Parameters.AddWithValue("@model", model);
        insert.Parameters.AddWithValue("@name", name);
        insert.Parameters.AddWithValue("@sha256", stored.Sha256);
        insert.Parameters.AddWithValue("@bytes", stored.Size);
        insert.Parameters.AddWithValue("@at", at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        insert.ExecuteNonQuery();
    }

    // The index's (name, sha256) rows of one kind and model; none where the store has no index yet.
    private static List<(string Name, string Sha256)> Indexed(WorkspaceDatabase database, string kind, string model)
    {
        using var connection = database.Connect();
        var rows = new List<(string, string)>();
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = database.Dialect.TableExists("monitoring_files");
            if (!Convert.ToBoolean(exists.ExecuteScalar(), CultureInfo.InvariantCulture))
            {
                return rows;
            }
        }

        using var select = connection.CreateCommand();
        select.CommandText = "SELECT name, sha256 FROM monitoring_files WHERE kind = @kind AND model = @model";
        select.Parameters.AddWithValue("@kind", kind);
        select.Parameters.AddWithValue("@model", model);
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private static string NameOf(string folder, string file) => Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
}
