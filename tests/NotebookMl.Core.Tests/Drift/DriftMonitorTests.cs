using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Monitoring;
using NotebookMl.Core.Drift.Sources;
using NotebookMl.Core.Workspaces;
using NotebookMl.Core.Drift.Reference;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Storage;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Drift;

/// <summary>
/// Drift over time: buckets of the prediction log against a model's reference statistics, saved and read back, on a team's
/// store (SQLite or PostgreSQL) and shared artifact root: the monitoring index lets another workspace read what one wrote.
/// </summary>
public abstract class DriftMonitorTests(StoreEngine engine) : IDisposable
{
    private static readonly string[] s_origins = ["ORD", "SEA", "LAS", "PHX"];
    private readonly TestStore _store = new(engine == StoreEngine.PostgreSql, "notebookml-monitor-");
    private readonly Random _random = new(3);

    private WorkspaceLocation Workspace => Team("writer");

    [Fact]
    public void Each_hour_of_traffic_is_compared_with_the_reference_and_the_latest_computation_of_a_bucket_is_kept()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
        var reference = new ReferenceStatistics(4000,
            [ReferenceProfiler.Numeric("distance", Distances(4000, 0)), ReferenceProfiler.Categorical("origin", Enumerable.Range(0, 4000).Select(i => s_origins[i % 4]))], []);
        PredictionLogWriter.Write(Workspace, "delays", now.AddMinutes(-170), Distances(800, 0), s_origins);
        PredictionLogWriter.Write(Workspace, "delays", now.AddMinutes(-100), Distances(800, 0), s_origins);
        PredictionLogWriter.Write(Workspace, "delays", now.AddMinutes(-20), Distances(800, 600), s_origins);
        var options = new DriftOptions { Method = DriftMethod.Psi, Threshold = 0.2 };

        using var profile = new ProfileDataset(reference, "models:/delays/1 (reference statistics)");
        var timeline = DriftMonitor.Compute(profile, Workspace, "delays", 1, now.AddHours(-4), now, TimeSpan.FromHours(1), options);
        var saved = DriftHistory.Save(Workspace, timeline, now);
        DriftHistory.Save(Workspace, DriftMonitor.Compute(profile, Workspace, "delays", 1, now.AddHours(-4), now, TimeSpan.FromHours(1), options), now.AddMinutes(5));
        var written = DriftHistory.Read(Workspace, "delays")!;
        Assert.True(File.Exists(saved));

        // Another workspace on the store, once the one that wrote is gone, reads the same log and history.
        Directory.Delete(Workspace.Root, recursive: true);
        var reader = Team("reader");
        var history = DriftHistory.Read(reader, "delays")!;
        PredictionLogWriter.Write(reader, "delays", now.AddDays(-3), Distances(10, 0), s_origins);
        Assert.Equal(4, PredictionLogFiles.Files(reader, "delays").Count);
        // A file holds one day: the days before the window are not even listed.
        Assert.Equal(3, PredictionLogFiles.Files(reader, "delays", now.AddMinutes(-30)).Count);
        Assert.Equal(written.Rows.Select(r => (r["column"], r["statistic"])), history.Rows.Select(r => (r["column"], r["statistic"])));

        // Buckets on the hour: 05:00 … 09:00; traffic at 06:40, 07:50 and 09:10.
        Assert.Equal([5, 6, 7, 8, 9], timeline.Buckets.Select(b => b.Start.Hour));
        Assert.Equal([0L, 800, 800, 0, 800], timeline.Buckets.Select(b => b.Rows));
        Assert.Equal([false, false, true], timeline.Buckets.Where(b => b.Report is not null).Select(b => b.Report!.Columns.Single(c => c.Column == "distance").Drift));
        Assert.All(timeline.Buckets.Where(b => b.Report is not null), b => Assert.False(b.Report!.Columns.Single(c => c.Column == "origin").Drift));
        Assert.True(timeline.Latest!.Report!.Columns.Single(c => c.Column == "distance").Statistic > 1);
        // Two computations of the same buckets: the history keeps the later one, a row per bucket and column.
        Assert.Equal(6, history.Rows.Count);
        Assert.All(history.Rows, r => Assert.Equal(now.AddMinutes(5).UtcDateTime, (DateTime)r["computed_at"]));
        Assert.Equal(["distance", "origin"], history.Rows.Take(2).Select(r => (string)r["column"]));
    }

    [Fact]
    public void Too_many_buckets_are_refused_before_any_data_is_read()
    {
        var reference = new ReferenceStatistics(10, [ReferenceProfiler.Numeric("distance", Distances(10, 0))], []);
        using var profile = new ProfileDataset(reference, "reference");
        var now = DateTimeOffset.UnixEpoch.AddDays(20000);

        var error = Assert.Throws<Core.Options.InvalidOptionException>(() => DriftMonitor.Compute(profile, Workspace, "delays", 1, now.AddDays(30), now.AddDays(60), TimeSpan.FromMinutes(1), new DriftOptions()));

        Assert.Equal("every", error.Option);
        Assert.Contains("43,200 buckets", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();

    // A workspace of the team: the store (PostgreSQL, or a SQLite file beside the workspaces) and a shared artifact folder.
    private WorkspaceLocation Team(string name)
    {
        var folder = Path.Combine(_store.Folder, name);
        Directory.CreateDirectory(folder);
        var store = _store.Url ?? "sqlite:" + Path.Combine(_store.Folder, "team.db");
        File.WriteAllText(Path.Combine(folder, "notebookml.yaml"), $"store: {store}\nartifacts: file://{Path.Combine(_store.Folder, "shared")}\n");
        return WorkspaceLocation.At(folder);
    }

    private double[] Distances(int n, double shift) => Enumerable.Range(0, n).Select(_ => shift + (_random.NextDouble() * 1000)).ToArray();
}

/// <summary>Drift over time on a SQLite store.</summary>
public sealed class DriftMonitorTestsOnSqlite() : DriftMonitorTests(StoreEngine.Sqlite);

/// <summary>Drift over time on PostgreSQL.</summary>
public sealed class DriftMonitorTestsOnPostgreSql() : DriftMonitorTests(StoreEngine.PostgreSql);
