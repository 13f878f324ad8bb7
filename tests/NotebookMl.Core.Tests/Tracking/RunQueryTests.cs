using NotebookMl.Core.Tracking;
using NotebookMl.Core.Storage;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Tracking;

/// <summary>Listing runs: experiment, param, metric and attribute filters; ordering; bad syntax.</summary>
public abstract class RunQueryTests : IDisposable
{
    private readonly TrackingWorkspace _workspace;

    protected RunQueryTests(StoreEngine engine)
    {
        _workspace = new(engine);
        Log("flights", "a", 0.1, 0.70);
        Log("flights", "b", 0.1, 0.85);
        Log("flights", "c", 0.05, 0.90);
        Log("weather", "d", 0.1, 0.99);
    }

    [Theory]
    [InlineData("params.lr = '0.1'", "flights", null, new[] { "b", "a" })]
    [InlineData("params.lr = '0.1' and metrics.auc > 0.8", "flights", null, new[] { "b" })]
    [InlineData("metrics.auc >= 0.85", null, "metrics.auc desc", new[] { "d", "c", "b" })]
    [InlineData("params.lr < 0.08", null, null, new[] { "c" })]
    [InlineData("status = 'finished' AND tags.kind = 'tree'", "flights", "params.lr asc", new[] { "c", "b", "a" })]
    [InlineData("name != 'a'", "flights", "metrics.auc", new[] { "b", "c" })]
    public void Filters_and_ordering_select_the_expected_runs(string filter, string? experiment, string? orderBy, string[] expected)
    {
        var runs = _workspace.Tracker.ListRuns(new RunQuery { Experiment = experiment, Filter = filter, OrderBy = orderBy });

        Assert.Equal(expected, runs.Select(r => r.Name));
    }

    [Theory]
    [InlineData("lr is 0.1", "Filter: cannot read 'lr is 0.1'")]
    [InlineData("metrics.auc > high", "Filter: metric 'auc' compares with a number, not 'high'.")]
    [InlineData("colour = 'red'", "Filter: unknown attribute 'colour'")]
    public void A_filter_that_cannot_be_read_says_how_to_write_one(string filter, string message) =>
        Assert.StartsWith(message, Assert.ThrowsAny<ArgumentException>(() => _workspace.Tracker.ListRuns(new RunQuery { Filter = filter })).Message);

    public void Dispose() => _workspace.Dispose();

    private void Log(string experiment, string name, double lr, double auc)
    {
        using var run = _workspace.Tracker.StartRun(experiment, name, new Dictionary<string, string> { ["kind"] = "tree" });
        run.LogParam("lr", lr).LogMetric("auc", auc);
        Thread.Sleep(5);
    }
}

/// <summary>Run queries on the embedded store.</summary>
public sealed class RunQueryTestsOnSqlite() : RunQueryTests(StoreEngine.Sqlite);

/// <summary>Run queries on PostgreSQL.</summary>
public sealed class RunQueryTestsOnPostgreSql() : RunQueryTests(StoreEngine.PostgreSql);
