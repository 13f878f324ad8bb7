using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using NotebookMl.Core.Options;
using NotebookMl.Core.Storage;

namespace NotebookMl.Training.Tuning;

/// <summary>
/// Studies and their trials in the workspace store (SQLite, or the shared PostgreSQL), so that any number of worker
/// processes on any machine share one study. A worker claims its next trial in one write transaction: the sampler sees
/// every finished and running trial, and the trial's number is the next one, so no trial is run twice or lost. Workers
/// beat a heartbeat while they train; a running trial whose heartbeat is older than the timeout belongs to a dead worker,
/// and is marked FAILED and retried once, with the same values, by the next claim.
/// </summary>
public sealed class StudyStore
{
    /// <summary>The tuner's tables in the workspace store.</summary>
    public static readonly StoreSchema Schema = new("tuning",
    [
        """
        CREATE TABLE studies (
            name TEXT PRIMARY KEY,
            experiment TEXT NOT NULL,
            space TEXT NOT NULL,
            metric TEXT NOT NULL,
            direction TEXT NOT NULL,
            sampler TEXT NOT NULL,
            seed INTEGER NOT NULL,
            trials INTEGER NOT NULL,
            fixed TEXT NOT NULL,
            parent_run TEXT,
            created TEXT NOT NULL);
        CREATE TABLE trials (
            study TEXT NOT NULL,
            number INTEGER NOT NULL,
            state TEXT NOT NULL,
            params TEXT NOT NULL,
            value REAL,
            step INTEGER NOT NULL DEFAULT 0,
            run_id TEXT,
            worker TEXT NOT NULL,
            retry_of INTEGER,
            heartbeat TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            PRIMARY KEY (study, number));
        """,
    ],
    [new("studies", ["name"]), new("trials", ["study", "number"])]);

    private readonly WorkspaceDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>The studies in <paramref name="database"/>, creating the tables if needed.</summary>
    public StudyStore(WorkspaceDatabase database, TimeProvider time)
    {
        (_database, _time) = (database, time);
        _database.Migrate(Schema);
    }

    /// <summary>
    /// Creates <paramref name="study"/>, or joins it when it exists with the same definition; one that exists with another
    /// space, metric or direction is refused, naming what differs.
    /// </summary>
    public StudyDefinition CreateOrJoin(StudyDefinition study)
    {
        using var connection = _database.Connect();
        using var transaction = connection.BeginWrite();
        if (Read(connection, study.Name) is { } existing)
        {
            foreach (var (what, mine, theirs) in new[] { ("space", study.Space.ToString(), existing.Space.ToString()), ("metric", study.Metric, existing.Metric), ("direction", study.Direction.ToString(), existing.Direction.ToString()) })
            {
                OptionChecks.Check("Study", mine == theirs, $"study '{study.Name}' exists with the {what} {theirs}, not {mine}; join it with the same {what}, or name a new study.");
            }

            return existing;
        }

        Execute(connection, """
            INSERT INTO studies (name, experiment, space, metric, direction, sampler, seed, trials, fixed, created)
            VALUES (@name, @experiment, @space, @metric, @direction, @sampler, @seed, @trials, @fixed, @created)
            """,
            ("@name", study.Name), ("@experiment", study.Experiment), ("@space", study.Space.ToString()), ("@metric", study.Metric), ("@direction", study.Direction.ToString().ToLowerInvariant()),
            ("@sampler", study.Sampler), ("@seed", study.Seed), ("@trials", study.Trials), ("@fixed", study.Fixed), ("@created", Stamp(_time.GetUtcNow())));
        transaction.Commit();
        return study;
    }

    /// <summary>The study named <paramref name="name"/>, or null.</summary>
    public StudyDefinition? Find(string name)
    {
        using var connection = _database.Connect();
        return Read(connection, name);
    }

    /// <summary>Every trial of <paramref name="study"/>, by number.</summary>
    public IReadOnlyList<TrialRecord> Trials(string study)
    {
        using var connection = _database.Connect();
        return Trials(connection, study);
    }

    /// <summary>
    /// Claims the next trial for <paramref name="worker"/>: first a retry of a failed trial not yet retried, else new
    /// values from <paramref name="sampler"/>; null when the study has run its trials (or the sampler has nothing left).
    /// Running trials whose heartbeat is older than <paramref name="stale"/> are marked FAILED first.
    /// </summary>
    public TrialRecord? Claim(StudyDefinition study, ISampler sampler, string worker, TimeSpan stale)
    {
        var now = _time.GetUtcNow();
        using var connection = _database.Connect();
        using var transaction = connection.BeginWrite();
        Execute(connection, "UPDATE trials SET state = 'FAILED', ended = @now WHERE study = @study AND state = 'RUNNING' AND heartbeat < @stale",
            ("@now", Stamp(now)), ("@study", study.Name), ("@stale", Stamp(now - stale)));
        var trials = Trials(connection, study.Name);
        var retried = trials.Where(t => t.RetryOf is not null).Select(t => t.RetryOf!.Value).ToHashSet();
        var counted = trials.Count(t => t.State != TrialState.Failed || retried.Contains(t.Number));
        var retry = trials.FirstOrDefault(t => t.State == TrialState.Failed && t.RetryOf is null && !retried.Contains(t.Number));
        IReadOnlyDictionary<string, object>? values;
        if (retry is not null)
        {
            values = retry.Values;
        }
        else
        {
            values = counted >= study.Trials ? null : sampler.Sample(study.Space, Observations(study, trials), trials.Where(t => t.State == TrialState.Running).Select(t => t.Values).ToArray());
        }

        if (values is null)
        {
            return null;
        }

        var number = trials.Count == 0 ? 0 : trials.Max(t => t.Number) + 1;
        Execute(connection, """
            INSERT INTO trials (study, number, state, params, worker, retry_of, heartbeat, started)
            VALUES (@study, @number, 'RUNNING', @params, @worker, @retry, @now, @now)
            """,
            ("@study", study.Name), ("@number", number), ("@params", JsonSerializer.Serialize(values)), ("@worker", worker), ("@retry", retry?.Number), ("@now", Stamp(now)));
        transaction.Commit();
        return new TrialRecord(number, TrialState.Running, values, null, 0, null, worker, retry?.Number);
    }

    /// <summary>Says trial <paramref name="number"/> is alive (and, with <paramref name="runId"/>, which run it tracks to).</summary>
    public void Beat(string study, int number, string? runId = null) =>
        Update("UPDATE trials SET heartbeat = @now, run_id = COALESCE(@run, run_id) WHERE study = @study AND number = @number AND state = 'RUNNING'",
            ("@now", Stamp(_time.GetUtcNow())), ("@run", runId), ("@study", study), ("@number", number));

    /// <summary>Records how trial <paramref name="number"/> ended; a trial already marked FAILED (its worker was presumed dead) stays so.</summary>
    public void Finish(string study, int number, TrialState state, double? value, long step, string? runId)
    {
        ArgumentOutOfRangeException.ThrowIfEqual((int)state, (int)TrialState.Running);
        Update("UPDATE trials SET state = @state, value = @value, step = @step, run_id = COALESCE(@run, run_id), ended = @now WHERE study = @study AND number = @number AND state = 'RUNNING'",
            ("@state", state.ToString().ToUpperInvariant()), ("@value", value), ("@step", step), ("@run", runId), ("@now", Stamp(_time.GetUtcNow())), ("@study", study), ("@number", number));
    }

    /// <summary>Records the study's parent run (the first worker's).</summary>
    public void SetParentRun(string study, string runId) =>
        Update("UPDATE studies SET parent_run = COALESCE(parent_run, @run) WHERE name = @study", ("@run", runId), ("@study", study));

    /// <summary>The study's parent run, once a worker made one.</summary>
    public string? ParentRun(string study)
    {
        using var connection = _database.Connect();
        using var command = Command(connection, "SELECT parent_run FROM studies WHERE name = @study", ("@study", study));
        return command.ExecuteScalar() as string;
    }

    // Finished trials as the sampler sees them: losses (the metric negated when maximizing), pruned ones with their step.
    private static List<Observation> Observations(StudyDefinition study, IReadOnlyList<TrialRecord> trials) =>
        trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned && t.Value is not null)
            .Select(t => new Observation(t.Number, t.Values, study.Direction == Direction.Maximize ? -t.Value!.Value : t.Value!.Value, t.State == TrialState.Complete, t.Step))
            .ToList();

    private static StudyDefinition? Read(DbConnection connection, string name)
    {
        using var command = Command(connection, "SELECT experiment, space, metric, direction, sampler, seed, trials, fixed FROM studies WHERE name = @name", ("@name", name));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new StudyDefinition(name, reader.GetString(0), SearchSpace.Parse(reader.GetString(1), "Space"), reader.GetString(2), Enum.Parse<Direction>(reader.GetString(3), ignoreCase: true),
                reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetString(7))
            : null;
    }

    private static List<TrialRecord> Trials(DbConnection connection, string study)
    {
        using var command = Command(connection, "SELECT number, state, params, value, step, run_id, worker, retry_of FROM trials WHERE study = @study ORDER BY number", ("@study", study));
        using var reader = command.ExecuteReader();
        var trials = new List<TrialRecord>();
        while (reader.Read())
        {
            trials.Add(new TrialRecord(reader.GetInt32(0), Enum.Parse<TrialState>(reader.GetString(1), ignoreCase: true), Values(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt32(7)));
        }

        return trials;
    }

    // JSON numbers come back as whole numbers (long) or reals (double), strings as strings: the types the samplers give.
    private static Dictionary<string, object> Values(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(p => p.Key, p => p.Value.ValueKind switch
        {
            JsonValueKind.String => (object)p.Value.GetString()!,
            JsonValueKind.Number when p.Value.TryGetInt64(out var whole) && !p.Value.GetRawText().Contains('.', StringComparison.Ordinal) && !p.Value.GetRawText().Contains('E', StringComparison.OrdinalIgnoreCase) => whole,
            _ => p.Value.GetDouble(),
        });

    private void Update(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = _database.Connect();
        Execute(connection, sql, parameters);
    }

    private static void Execute(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
