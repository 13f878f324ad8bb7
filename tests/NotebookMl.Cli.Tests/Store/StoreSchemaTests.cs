using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Store;

/// <summary>
/// Schema versions on a shared store: a client older than the store's tables refuses with one line and writes nothing;
/// a client newer than them refuses to write until <c>store upgrade</c>, which brings every component up in one
/// transaction: a step that fails leaves every component where it was.
/// </summary>
public sealed class StoreSchemaTests : IDisposable
{
    private readonly TestStore _store = new(postgres: true, "notebookml-schema-");

    [Fact]
    public async Task A_client_older_than_the_store_refuses_in_one_line_and_writes_nothing()
    {
        Assert.Equal(0, (await Cli("store", "upgrade")).ExitCode);
        var registry = Version("registry");
        PostgresServer.Shared.Execute(_store.Database!, $"UPDATE schema_versions SET version = {registry + 1} WHERE component = 'registry'");

        var refused = await Cli("models", "list");
        var events = Query("SELECT count(*) FROM registry_events").Single();

        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"notebookml: {_store.Url}: the 'registry' tables are at version {registry + 1}, newer than this NotebookMl knows ({registry}); upgrade NotebookMl.", line);
        Assert.Equal(0L, events);
        Assert.Equal(registry + 1, Version("registry"));
    }

    [Fact]
    public async Task A_newer_client_upgrades_every_component_in_one_transaction_or_none()
    {
        Assert.Equal(0, (await Cli("store", "upgrade")).ExitCode);
        var (tracking, registry) = (Version("tracking"), Version("registry"));
        // The store as an older NotebookMl left it: tracking one step behind (no index for ordering by a metric), and the
        // registry one step behind though that step's column is there, so applying it again fails.
        PostgresServer.Shared.Execute(_store.Database!, $"""
            DROP INDEX latest_metrics_key_value;
            UPDATE schema_versions SET version = {tracking - 1} WHERE component = 'tracking';
            UPDATE schema_versions SET version = {registry - 1} WHERE component = 'registry';
            """);

        var write = await Cli("runs", "list");
        var failed = await Cli("store", "upgrade");

        Assert.Equal(1, write.ExitCode);
        Assert.Contains($"the 'tracking' tables are at version {tracking - 1}; this NotebookMl needs version {tracking}. Run 'notebookml store upgrade'", write.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, failed.ExitCode);
        var line = Assert.Single(failed.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"notebookml: {_store.Url}: upgrading the 'registry' tables failed: ", line, StringComparison.Ordinal);
        Assert.EndsWith("nothing was changed (every component is upgraded in one transaction, or none is).", line, StringComparison.Ordinal);
        // Tracking's step ran before the registry's failed, and was rolled back with it.
        Assert.Equal((tracking - 1, registry - 1), (Version("tracking"), Version("registry")));
        Assert.Empty(Query("SELECT indexname FROM pg_indexes WHERE indexname = 'latest_metrics_key_value'"));

        PostgresServer.Shared.Execute(_store.Database!, "ALTER TABLE promotion_policies DROP COLUMN drift_min_rows");
        var upgraded = await Cli("store", "upgrade");

        Assert.True(upgraded.ExitCode == 0, upgraded.Output);
        Assert.Equal((tracking, registry), (Version("tracking"), Version("registry")));
        Assert.Single(Query("SELECT indexname FROM pg_indexes WHERE indexname = 'latest_metrics_key_value'"));
        Assert.Equal(0, (await Cli("runs", "list")).ExitCode);
    }

    public void Dispose() => _store.Dispose();

    private int Version(string component) => Convert.ToInt32(Query($"SELECT version FROM schema_versions WHERE component = '{component}'").Single(), System.Globalization.CultureInfo.InvariantCulture);

    private IReadOnlyList<object?> Query(string sql) => PostgresServer.Shared.Query(_store.Database!, sql);

    private Task<ProcessResult> Cli(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["CI"] = "true" }, _store.Folder);
}
