using System.Data.Common;
using System.Text.Json;
using NotebookMl.Core.Options;
using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Tracking;

/// <summary>Reading runs back.</summary>
public sealed partial class Tracker
{
    /// <summary>The experiments, oldest first.</summary>
    public IReadOnlyList<string> Experiments()
    {
        using var connection = Database.Connect();
        return Strings(connection, "SELECT name FROM experiments ORDER BY id");
    }

    /// <summary>Runs matching <paramref name="query"/> (all, newest first, when null), with their params, latest metrics and tags.</summary>
    public IReadOnlyList<RunSummary> ListRuns(RunQuery? query = null)
    {
        MarkDeadRunsKilled();
        query ??= new RunQuery();
        using var connection = Database.Connect();
        using var command = connection.CreateCommand();
        var runs = new List<(string Id, string Experiment, string Name, string Status, string Started, string? Ended)>();
        foreach (var tail in query.ToSql(command))
        {
            if (runs.Count >= query.Limit)
            {
                break;
            }

            command.CommandText = $"SELECT r.id, e.name, r.name, r.status, r.started, r.ended FROM runs r JOIN experiments e ON e.id = r.experiment_id{tail}";
            using var reader = command.ExecuteReader();
            while (reader.Read() && runs.Count < query.Limit)
            {
                runs.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }

        // Each table read once for all the runs listed, not once per run.
        var ids = runs.Select(r => r.Id).ToArray();
        var parameters = Pairs(connection, "params", ids);
        var tags = Pairs(connection, "tags", ids);
        var metrics = Metrics(connection, ids);
        var summaries = runs.Select(r => new RunSummary(
            r.Id, r.Experiment, r.Name, ParseStatus(r.Status), ParseStamp(r.Started), r.Ended is null ? null : ParseStamp(r.Ended),
            parameters.GetValueOrDefault(r.Id) ?? [], metrics.GetValueOrDefault(r.Id) ?? [], tags.GetValueOrDefault(r.Id) ?? [])).ToArray();
        CheckOrderedKey(query, summaries);
        return summaries;
    }

    // Runs missing the key sort last, so when the first run lacks it no run matching the query has it: a misspelt key,
    // not an ordering.
    private static void CheckOrderedKey(RunQuery query, IReadOnlyList<RunSummary> runs)
    {
        if (runs.Count == 0 || query.OrderedKey is not var (kind, key))
        {
            return;
        }

        IEnumerable<string> Keys(RunSummary run) => kind switch
        {
            "metrics" => run.Metrics.Keys,
            "params" => run.Params.Keys,
            _ => run.Tags.Keys,
        };
        if (!Keys(runs[0]).Contains(key))
        {
            var known = runs.SelectMany(Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(k => $"{kind}.{k}").ToArray();
            throw new InvalidOptionException("OrderBy", $"no run{(query.Experiment is { } e ? $" of '{e}'" : "")} has {kind}.{key}; {(known.Length > 0 ? "keys: " + string.Join(", ", known.Take(20)) + (known.Length > 20 ? ", …" : "") : $"the runs have no {kind}")}.");
        }
    }

    /// <summary>Everything about run <paramref name="id"/> (a unique prefix of at least 4 characters will do).</summary>
    public RunDetails GetRun(string id)
    {
        MarkDeadRunsKilled();
        var runId = ResolveId(id);
        var summary = ListRuns(new RunQuery { Filter = $"id = '{runId}'", Limit = 1 }).Single();
        using var connection = Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT git_commit, git_dirty, notebook, cell, host, pid, environment FROM runs WHERE id = @id";
        command.Parameters.AddWithValue("@id", runId);
        RunDetails details;
        using (var reader = command.ExecuteReader())
        {
            // One reader at a time on a connection: PostgreSQL has no second one.
            reader.Read();
            details = new RunDetails(
                summary,
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetInt64(1) != 0,
                new RunSource(reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)),
                reader.GetString(4),
                reader.GetInt32(5),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? [],
                [],
                []);
        }

        details = details with { Artifacts = ArtifactsOf(connection, runId), Inputs = InputsOf(connection, runId) };
        return details;
    }

    /// <summary>Every point of metric <paramref name="key"/> of run <paramref name="id"/>, by step then time.</summary>
    public IReadOnlyList<MetricPoint> MetricHistory(string id, string key)
    {
        var runId = ResolveId(id);
        using var connection = Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT value, step, timestamp FROM metrics WHERE run_id = @id AND key = @key ORDER BY step, timestamp, {StoreDialect.Of(connection).RowOrder}";
        command.Parameters.AddWithValue("@id", runId);
        command.Parameters.AddWithValue("@key", key);
        using var reader = command.ExecuteReader();
        var points = new List<MetricPoint>();
        while (reader.Read())
        {
            points.Add(new MetricPoint(key, reader.IsDBNull(0) ? double.NaN : reader.GetDouble(0), reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return points;
    }

    /// <summary>The content of artifact <paramref name="path"/> of run <paramref name="id"/>, checked against its SHA-256.</summary>
    public byte[] ReadArtifact(string id, string path)
    {
        var runId = ResolveId(id);
        var normalized = TrackingLimits.CheckArtifactPath(path);
        using var connection = Database.Connect();
        var artifact = ArtifactsOf(connection, runId).FirstOrDefault(a => a.Path == normalized)
            ?? throw new FileNotFoundException($"run {runId} has no artifact '{normalized}'.");
        return Artifacts.Read(artifact.Sha256, $"artifact '{normalized}' of run {runId}");
    }

    /// <summary>The full id of the run <paramref name="id"/> names (an id or a unique prefix of at least 4 characters).</summary>
    public string ResolveId(string id)
    {
        if (id.Length < 4)
        {
            throw new ArgumentException($"run id '{id}': give at least 4 characters of it.");
        }

        using var connection = Database.Connect();
        var matches = Strings(connection, "SELECT id FROM runs WHERE id LIKE @prefix ESCAPE '\\' LIMIT 2", ("@prefix", id.Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"));
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"no run with id '{id}'."),
            _ => throw new ArgumentException($"run id '{id}' matches several runs; give more of it."),
        };
    }

    internal static TrackedRunStatus ParseStatus(string text) => Enum.Parse<TrackedRunStatus>(text, ignoreCase: true);

    // The key-value rows of table for each of runIds, in key order.
    private static Dictionary<string, Dictionary<string, string>> Pairs(DbConnection connection, string table, IReadOnlyList<string> runIds) =>
        ByRun(connection, table, runIds, reader => reader.GetString(2));

    private static Dictionary<string, Dictionary<string, double>> Metrics(DbConnection connection, IReadOnlyList<string> runIds) =>
        ByRun(connection, "latest_metrics", runIds, reader => reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2));

    private static Dictionary<string, Dictionary<string, T>> ByRun<T>(DbConnection connection, string table, IReadOnlyList<string> runIds, Func<DbDataReader, T> value)
    {
        var result = new Dictionary<string, Dictionary<string, T>>(StringComparer.Ordinal);
        foreach (var chunk in runIds.Chunk(500))
        {
            using var command = connection.CreateCommand();
            var names = chunk.Select((id, i) => { command.Parameters.AddWithValue($"@r{i}", id); return $"@r{i}"; });
            command.CommandText = $"SELECT run_id, key, value FROM {table} WHERE run_id IN ({string.Join(", ", names)}) ORDER BY run_id, key";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var run = reader.GetString(0);
                if (!result.TryGetValue(run, out var pairs))
                {
                    result[run] = pairs = new Dictionary<string, T>(StringComparer.Ordinal);
                }

                pairs[reader.GetString(1)] = value(reader);
            }
        }

        return result;
    }

    private static List<ArtifactInfo> ArtifactsOf(DbConnection connection, string runId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, sha256, size FROM artifacts WHERE run_id = @id ORDER BY path";
        command.Parameters.AddWithValue("@id", runId);
        using var reader = command.ExecuteReader();
        var result = new List<ArtifactInfo>();
        while (reader.Read())
        {
            result.Add(new ArtifactInfo(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return result;
    }

    private static List<DatasetInput> InputsOf(DbConnection connection, string runId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, digest, source, schema, context FROM inputs WHERE run_id = @id ORDER BY name";
        command.Parameters.AddWithValue("@id", runId);
        using var reader = command.ExecuteReader();
        var result = new List<DatasetInput>();
        while (reader.Read())
        {
            result.Add(new DatasetInput(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return result;
    }
}
