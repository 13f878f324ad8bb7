using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

namespace NotebookMl.Core.Storage;

/// <summary>One side of a copy: a workspace's store and its artifact root.</summary>
public sealed record StoreSide(WorkspaceDatabase Database, IBlobStore Artifacts);

/// <summary>A table after a copy: rows and an order-independent digest of them on each side.</summary>
public sealed record TableCount(string Table, long SourceRows, string SourceDigest, long DestinationRows, string DestinationDigest)
{
    /// <summary>Whether both sides hold the same rows.</summary>
    public bool Same => SourceRows == DestinationRows && SourceDigest == DestinationDigest;
}

/// <summary>What a copy found and did: each table's counts and digests, and the artifact bytes on each side.</summary>
public sealed record StoreCopyReport(IReadOnlyList<TableCount> Tables, long SourceBlobs, long DestinationBlobs, long BlobsCopied);

/// <summary>
/// Copies a workspace's store and artifacts into another (embedded to shared, or back): artifact bytes first (checked
/// against their digest), then each component's tables in order, in batches that each commit, keeping what the
/// destination already holds. Run twice, it duplicates nothing; killed, it resumes where it stopped. It ends by counting
/// and digesting every table on both sides.
/// </summary>
public static class StoreCopy
{
    private const int Batch = 1000;
    private static readonly string[] s_areas = ["artifacts", "registry", ArtifactSettings.MonitoringArea];

    /// <summary>Copies <paramref name="from"/> into <paramref name="to"/>; <paramref name="progress"/> hears each step.</summary>
    public static StoreCopyReport Run(StoreSide from, StoreSide to, IReadOnlyList<StoreSchema> schemas, IProgress<string>? progress = null)
    {
        // The embedded store brings itself up to date, as on every use; a shared one is upgraded by its owner. A component
        // the source never created has no rows to copy.
        if (from.Database.Engine == StoreEngine.Sqlite)
        {
            from.Database.Upgrade(schemas);
        }

        var versions = from.Database.Versions(schemas);
        if (versions.FirstOrDefault(v => v.From != 0 && v.From != v.To) is { } stale)
        {
            throw new StoreSchemaException($"{from.Database.Path}: the '{stale.Component}' tables are at version {stale.From}, this NotebookMl copies version {stale.To}; upgrade the source first ('notebookml store upgrade' there).");
        }

        var present = schemas.Where(s => versions.Single(v => v.Component == s.Component).From != 0).SelectMany(s => s.Tables).ToHashSet();
        to.Database.Upgrade(schemas);
        var (sourceBlobs, destinationBlobs, copied) = CopyBlobs(from.Artifacts, to.Artifacts, progress);
        using var source = from.Database.Connect();
        using var destination = to.Database.Connect();
        foreach (var table in schemas.SelectMany(s => s.Tables).Where(present.Contains))
        {
            progress?.Report($"copying {table.Name}");
            var columns = Columns(source, table.Name);
            if (table.Key.Count > 0)
            {
                CopyKeyed(source, destination, table, columns);
                if (table.Identity)
                {
                    to.Database.Dialect.AfterExplicitIds(destination, table.Name);
                }
            }
            else
            {
                CopyGroups(source, destination, table, columns);
            }
        }

        progress?.Report("counting and digesting both sides");
        var counts = schemas.SelectMany(s => s.Tables).Select(t =>
        {
            var (sourceRows, sourceDigest) = present.Contains(t) ? Digest(source, t.Name) : (0, new string('0', 16));
            var (destinationRows, destinationDigest) = Digest(destination, t.Name);
            return new TableCount(t.Name, sourceRows, sourceDigest, destinationRows, destinationDigest);
        }).ToArray();
        return new StoreCopyReport(counts, sourceBlobs, destinationBlobs + copied, copied);
    }

    private static (long Source, long Destination, long Copied) CopyBlobs(IBlobStore from, IBlobStore to, IProgress<string>? progress)
    {
        long source = 0, destination = 0, copied = 0;
        var temporary = Path.Combine(Path.GetTempPath(), $"notebookml-copy-{Guid.NewGuid():N}");
        try
        {
            foreach (var area in s_areas)
            {
                var present = to.List(area + "/").ToHashSet(StringComparer.Ordinal);
                destination += present.Count;
                foreach (var key in from.List(area + "/"))
                {
                    source++;
                    if (present.Contains(key))
                    {
                        continue;
                    }

                    if (!from.TryGet(key, temporary))
                    {
                        continue;
                    }

                    // The key names the digest: bytes that do not match it are not copied as if they did.
                    var expected = key[(key.LastIndexOf("sha256/", StringComparison.Ordinal) + "sha256/".Length)..].Replace("/", "", StringComparison.Ordinal);
                    using (var file = File.OpenRead(temporary))
                    {
                        var actual = Convert.ToHexStringLower(SHA256.HashData(file));
                        if (actual != expected)
                        {
                            throw new InvalidDataException($"{from.Location}/{key}: the bytes digest to {actual}; the store is corrupt there, and nothing of it was copied.");
                        }
                    }

                    to.Put(key, temporary);
                    copied++;
                    if (copied % 100 == 0)
                    {
                        progress?.Report($"copied {copied} artifact files");
                    }
                }
            }
        }
        finally
        {
            File.Delete(temporary);
        }

        return (source, destination, copied);
    }

    // Rows the destination lacks, by key, in batches that each commit.
    private static void CopyKeyed(DbConnection source, DbConnection destination, StoreTable table, IReadOnlyList<string> columns)
    {
        using var read = source.CreateCommand();
        read.CommandText = $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {table.Name} ORDER BY {string.Join(", ", table.Key)}";
        using var reader = read.ExecuteReader();
        var rows = new List<object?[]>(Batch);
        while (reader.Read())
        {
            rows.Add(Row(reader));
            if (rows.Count == Batch)
            {
                Insert(destination, table, columns, rows);
                rows.Clear();
            }
        }

        Insert(destination, table, columns, rows);
    }

    // A table without a key is copied group by group (a run's metric points) or whole: a group whose rows differ in number
    // is replaced in one transaction, so a half-copied group is never left behind.
    private static void CopyGroups(DbConnection source, DbConnection destination, StoreTable table, IReadOnlyList<string> columns)
    {
        var groups = table.Group is { } column ? Values(source, $"SELECT DISTINCT {column} FROM {table.Name}") : [null];
        foreach (var group in groups)
        {
            var where = table.Group is null ? "" : $" WHERE {table.Group} = @g";
            if (Count(source, table.Name + where, group) == Count(destination, table.Name + where, group))
            {
                continue;
            }

            var rows = new List<object?[]>();
            using (var read = source.CreateCommand())
            {
                read.CommandText = $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {table.Name}{where}";
                read.Parameters.AddWithValue("@g", group);
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add(Row(reader));
                }
            }

            using var transaction = destination.BeginWrite();
            using (var delete = destination.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = $"DELETE FROM {table.Name}{where}";
                delete.Parameters.AddWithValue("@g", group);
                delete.ExecuteNonQuery();
            }

            StoreDialect.Of(destination).InsertRows(destination, transaction, table.Name, columns.Select(Quote).ToArray(), rows);
            transaction.Commit();
        }
    }

    private static void Insert(DbConnection destination, StoreTable table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        using var transaction = destination.BeginWrite();
        using var insert = destination.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", columns.Select(Quote))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@c{i}"))}) ON CONFLICT ({string.Join(", ", table.Key)}) DO NOTHING";
        var parameters = columns.Select((_, i) => insert.Parameters.AddWithValue($"@c{i}", null)).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    // Row count and an order-independent digest: the sum of each row's hash, so both engines' own orders agree.
    private static (long Rows, string Digest) Digest(DbConnection connection, string table)
    {
        using var read = connection.CreateCommand();
        read.CommandText = $"SELECT * FROM {table}";
        using var reader = read.ExecuteReader();
        long rows = 0;
        UInt128 sum = 0;
        var text = new System.Text.StringBuilder();
        while (reader.Read())
        {
            rows++;
            text.Clear();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.GetName(i)).Append('=').Append(Canonical(reader.IsDBNull(i) ? null : reader.GetValue(i))).Append('\u001f');
            }

            var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
            sum += new UInt128(BitConverter.ToUInt64(hash, 0), BitConverter.ToUInt64(hash, 8));
        }

        return (rows, sum.ToString("x32", CultureInfo.InvariantCulture)[..16]);
    }

    private static string Canonical(object? value) => value switch
    {
        null => "\u2205",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        long or int or short => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static IReadOnlyList<string> Columns(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} WHERE 1 = 0";
        using var reader = command.ExecuteReader();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
    }

    private static object?[] Row(DbDataReader reader)
    {
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }

    private static List<object?> Values(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        }

        return values;
    }

    private static long Count(DbConnection connection, string fromWhere, object? group)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {fromWhere}";
        command.Parameters.AddWithValue("@g", group);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    // Column names that are reserved words in one engine ("end").
    private static string Quote(string column) => $"\"{column}\"";
}
