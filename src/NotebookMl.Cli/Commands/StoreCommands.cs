using System.CommandLine;
using System.Globalization;
using NotebookMl.Cli.Rendering;
using NotebookMl.Core.Features;
using NotebookMl.Core.Features.Online;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Runner.Scheduling;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Cli.Commands;

/// <summary>
/// <c>notebookml store info | upgrade | copy | flush</c>: which store the workspace uses (the embedded SQLite file, or the shared
/// PostgreSQL database of <c>store:</c> / <c>NOTEBOOKML_STORE</c>), the schema version of each component's tables, and
/// the upgrade of a shared store's tables, all in one transaction.
/// </summary>
internal static class StoreCommands
{
    /// <summary>Every component's tables, in the order they are created.</summary>
    public static readonly IReadOnlyList<StoreSchema> Schemas =
        [TrackingSchema.Schema, RegistrySchema.Schema, FeatureStore.DefinitionsSchema, SqliteOnlineStore.Schema, RunHistoryStore.Schema, MonitoringFiles.Schema, NotebookMl.Training.Tuning.StudyStore.Schema];

    public static Command Create(CliVerbContext output)
    {
        var command = new Command("store", "The workspace's store: the embedded SQLite file or a shared PostgreSQL database; its schema versions and their upgrade.");
        command.Subcommands.Add(CreateInfo(output));
        command.Subcommands.Add(CreateUpgrade(output));
        command.Subcommands.Add(StoreCopyCommand.Create(output));
        command.Subcommands.Add(CreateFlush(output));
        return command;
    }

    private static Command CreateInfo(CliVerbContext output)
    {
        var command = new Command("info", "Which store the workspace uses, and the schema version of each component's tables against this NotebookMl's.");
        command.SetAction(_ =>
        {
            var database = WorkspaceDatabase.Open(WorkspaceLocation.Current());
            var versions = database.Versions(Schemas);
            if (output.Json)
            {
                output.Display(new
                {
                    engine = database.Engine == StoreEngine.PostgreSql ? "postgresql" : "sqlite",
                    location = database.Path,
                    components = versions.Select(v => new { component = v.Component, store_version = v.From, client_version = v.To, state = State(v) }).ToArray(),
                });
                return;
            }

            output.Display(new Table(
                ["component", "store", "this NotebookMl", "state"],
                versions.Select(v => (IReadOnlyList<string>)[v.Component, Number(v.From), Number(v.To), State(v)]).ToArray())
            {
                Title = $"Store: {database.Path} ({(database.Engine == StoreEngine.PostgreSql ? "PostgreSQL" : "SQLite")})",
            });
        });
        return command;
    }

    private static Command CreateUpgrade(CliVerbContext output)
    {
        var command = new Command("upgrade", "Create or upgrade every component's tables to this NotebookMl's schema, in one transaction (all or nothing).");
        command.SetAction(_ =>
        {
            var database = WorkspaceDatabase.Open(WorkspaceLocation.Current());
            var changes = database.Upgrade(Schemas);
            if (output.Json)
            {
                output.Display(changes.Select(c => new { component = c.Component, from_version = c.From, to_version = c.To }).ToArray());
                return;
            }

            output.WriteLine(changes.Count == 0
                ? $"{database.Path}: every component's tables are at this NotebookMl's version; nothing to do."
                : $"{database.Path}: upgraded " + string.Join(", ", changes.Select(c => $"{c.Component} {(c.From == 0 ? "(created)" : Number(c.From))} → {Number(c.To)}")) + ".");
        });
        return command;
    }

    private static Command CreateFlush(CliVerbContext output)
    {
        var command = new Command("flush", "Send the metric points (and run ends) a run kept in .notebookml/spool/ while the store was gone past its timeout.");
        command.SetAction(_ =>
        {
            var (runs, points) = Tracker.ForExistingWorkspace().FlushSpool();
            output.WriteLine(runs == 0 ? "Nothing spooled: every run's points are in the store." : $"Sent {points:N0} metric point(s) of {runs} run(s) to the store.");
        });
        return command;
    }

    private static string State(SchemaChange version) => version.From switch
    {
        0 => "not created yet ('notebookml store upgrade' creates it)",
        var from when from == version.To => "up to date",
        var from when from < version.To => "older: run 'notebookml store upgrade'",
        _ => "newer: upgrade NotebookMl",
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
