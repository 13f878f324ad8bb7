using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Features;

/// <summary>
/// Versioned entity and feature view definitions in the workspace store. Applying a changed definition
/// adds a version; earlier versions stay readable (for lineage); applying the same one again is a no-op.
/// </summary>
internal sealed class FeatureRegistry
{
    /// <summary>The feature registry's tables in the workspace store.</summary>
    public static readonly StoreSchema Schema = new("features",
    [
        """
        CREATE TABLE feature_definitions (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            hash TEXT NOT NULL,
            definition TEXT NOT NULL,
            applied TEXT NOT NULL,
            PRIMARY KEY (kind, name, version));
        CREATE TABLE feature_materializations (
            view TEXT NOT NULL,
            version INTEGER NOT NULL,
            start TEXT NOT NULL,
            "end" TEXT NOT NULL,
            rows INTEGER NOT NULL,
            at TEXT NOT NULL);
        """,
        """
        ALTER TABLE feature_materializations ADD COLUMN as_of TEXT;
        """,
    ],
    [new("feature_definitions", ["kind", "name", "version"]), new("feature_materializations", [])]);

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };
    private readonly WorkspaceDatabase _database;
    private readonly TimeProvider _timeProvider;

    public FeatureRegistry(WorkspaceDatabase database, TimeProvider timeProvider)
    {
        _database = database;
        _timeProvider = timeProvider;
        database.Migrate(Schema);
    }

    /// <summary>Stores <paramref name="definition"/> as the latest version of <paramref name="name"/> unless unchanged; returns its version and whether it is new.</summary>
    public (int Version, bool Changed) Apply<T>(string kind, string name, T definition)
    {
        var json = JsonSerializer.Serialize(definition, s_json);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        using var connection = _database.Connect();
        using var transaction = connection.BeginWrite();
        using var latest = connection.CreateCommand();
        latest.CommandText = "SELECT version, hash FROM feature_definitions WHERE kind = @kind AND name = @name ORDER BY version DESC LIMIT 1";
        latest.Parameters.AddWithValue("@kind", kind);
        latest.Parameters.AddWithValue("@name", name);
        var version = 0;
        using (var reader = latest.ExecuteReader())
        {
            if (reader.Read())
            {
                version = reader.GetInt32(0);
                if (reader.GetString(1) == hash)
                {
                    return (version, false);
                }
            }
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO feature_definitions (kind, name, version, hash, definition, applied) VALUES (@kind, @name, @version, @hash, @definition, @applied)";
        insert.Parameters.AddWithValue("@kind", kind);
        insert.Parameters.AddWithValue("@name", name);
        insert.Parameters.AddWithValue("@version", version + 1);
        insert.Parameters.AddWithValue("@hash", hash);
        insert.Parameters.AddWithValue("@definition", json);
        insert.Parameters.AddWithValue("@applied", _timeProvider.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        insert.ExecuteNonQuery();
        transaction.Commit();
        return (version + 1, true);
    }

    /// <summary>Version <paramref name="version"/> (default: the latest) of <paramref name="name"/>, or null.</summary>
    public (T Definition, int Version)? Get<T>(string kind, string name, int? version = null)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = version is null
            ? "SELECT definition, version FROM feature_definitions WHERE kind = @kind AND name = @name ORDER BY version DESC LIMIT 1"
            : "SELECT definition, version FROM feature_definitions WHERE kind = @kind AND name = @name AND version = @version";
        command.Parameters.AddWithValue("@kind", kind);
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@version", (object?)version ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (JsonSerializer.Deserialize<T>(reader.GetString(0), s_json)!, reader.GetInt32(1)) : null;
    }

    /// <summary>The latest version of every definition of <paramref name="kind"/>.</summary>
    public IReadOnlyList<(T Definition, int Version)> Latest<T>(string kind)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT definition, version FROM feature_definitions d
            WHERE kind = @kind AND version = (SELECT MAX(version) FROM feature_definitions WHERE kind = d.kind AND name = d.name)
            ORDER BY name
            """;
        command.Parameters.AddWithValue("@kind", kind);
        using var reader = command.ExecuteReader();
        var result = new List<(T, int)>();
        while (reader.Read())
        {
            result.Add((JsonSerializer.Deserialize<T>(reader.GetString(0), s_json)!, reader.GetInt32(1)));
        }

        return result;
    }

    /// <summary>Records a materialization of <paramref name="view"/> over [start, end).</summary>
    public void RecordMaterialization(string view, int version, DateTime start, DateTime end, long rows, DateTime? asOf)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO feature_materializations (view, version, start, \"end\", rows, at, as_of) VALUES (@view, @version, @start, @end, @rows, @at, @asOf)";
        command.Parameters.AddWithValue("@asOf", asOf is { } time ? time.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : DBNull.Value);
        command.Parameters.AddWithValue("@view", view);
        command.Parameters.AddWithValue("@version", version);
        command.Parameters.AddWithValue("@start", start.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("@end", end.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("@rows", rows);
        command.Parameters.AddWithValue("@at", _timeProvider.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    /// <summary>The time the latest materialization of <paramref name="view"/> was made as of (its TTLs are judged then), or null: the clock's now.</summary>
    public DateTime? AsOf(string view)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT as_of FROM feature_materializations WHERE view = @view ORDER BY {StoreDialect.Of(connection).RowOrder} DESC LIMIT 1";
        command.Parameters.AddWithValue("@view", view);
        return command.ExecuteScalar() is string text ? DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind) : null;
    }

    /// <summary>The end of the latest materialization of <paramref name="view"/>, or null.</summary>
    public DateTime? MaterializedUntil(string view)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(\"end\") FROM feature_materializations WHERE view = @view";
        command.Parameters.AddWithValue("@view", view);
        return command.ExecuteScalar() is string text ? DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind) : null;
    }
}
