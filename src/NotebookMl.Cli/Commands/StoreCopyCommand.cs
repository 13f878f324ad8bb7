using System.CommandLine;
using System.Globalization;
using NotebookMl.Cli.Rendering;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Cli.Commands;

/// <summary>
/// <c>notebookml store copy --from .notebookml --to postgresql://… --artifacts s3://…</c>: a workspace's store and artifacts
/// copied into another, either way; idempotent, resumable, and checked by counts and digests on both sides.
/// </summary>
internal static class StoreCopyCommand
{
    public static Command Create(CliVerbContext output)
    {
        var from = new Option<string>("--from") { Description = "The source: a workspace's state folder (.notebookml) or root, or a PostgreSQL URL.", HelpName = "FOLDER|URL", Required = true };
        var to = new Option<string>("--to") { Description = "The destination: a PostgreSQL URL, or a folder for an embedded store.", HelpName = "URL|FOLDER", Required = true };
        var fromArtifacts = new Option<string?>("--from-artifacts") { Description = "The source's artifact root (s3://… or file:///…); default: the source folder.", HelpName = "URL" };
        var artifacts = new Option<string?>("--artifacts") { Description = "The destination's artifact root (s3://… or file:///…); default: the destination folder.", HelpName = "URL" };
        var command = new Command("copy", "Copy a workspace's store and artifacts into another (embedded to shared, or back): nothing duplicated when run twice, resumed when killed, counts and digests of both sides at the end.")
        {
            from, to, fromArtifacts, artifacts,
        };
        command.SetAction(parse =>
        {
            var (source, sourceState) = Side(parse.GetValue(from)!, parse.GetValue(fromArtifacts), "--from", "--from-artifacts");
            var (destination, _) = Side(parse.GetValue(to)!, parse.GetValue(artifacts), "--to", "--artifacts");
            if (sourceState is not null)
            {
                // An embedded workspace's prediction logs, labels and drift history are files beside its store: indexed
                // first, they travel as the rest does.
                MonitoringFiles.IndexLocal(sourceState, source.Database, source.Artifacts, TimeProvider.System.GetUtcNow());
            }

            var tables = StoreCommands.Schemas.Sum(s => s.Tables.Count);
            var done = 0;
            var report = output.WithProgress($"store copy to {destination.Database.Path}", progress =>
                StoreCopy.Run(source, destination, StoreCommands.Schemas, new SynchronousProgress(step =>
                    progress.Report(new NotebookMl.Verbs.ProgressUpdate(step, step.StartsWith("copying ", StringComparison.Ordinal) ? (double)++done / (tables + 1) : (double)done / (tables + 1))))));
            if (output.Json)
            {
                output.Display(new
                {
                    source = source.Database.Path,
                    destination = destination.Database.Path,
                    tables = report.Tables.Select(t => new { table = t.Table, source_rows = t.SourceRows, source_digest = t.SourceDigest, destination_rows = t.DestinationRows, destination_digest = t.DestinationDigest, same = t.Same }).ToArray(),
                    artifacts = new { source = report.SourceBlobs, destination = report.DestinationBlobs, copied = report.BlobsCopied },
                });
            }
            else
            {
                output.Display(new Table(
                    ["table", "source rows", "source digest", "destination rows", "destination digest", "same"],
                    report.Tables.Select(t => (IReadOnlyList<string>)[t.Table, Number(t.SourceRows), t.SourceDigest, Number(t.DestinationRows), t.DestinationDigest, t.Same ? "yes" : "NO"]).ToArray())
                {
                    Title = $"{source.Database.Path} → {destination.Database.Path}",
                });
                output.WriteLine($"artifacts: {Number(report.SourceBlobs)} files in {source.Artifacts.Location}, {Number(report.DestinationBlobs)} in {destination.Artifacts.Location} ({Number(report.BlobsCopied)} copied now)");
            }

            if (report.Tables.FirstOrDefault(t => !t.Same) is { } differs)
            {
                Terminal.Error.WriteLine($"notebookml: {differs.Table}: the destination holds other rows than the source ({Number(differs.DestinationRows)} against {Number(differs.SourceRows)}); copy into an empty store, or into an earlier copy of this one.");
                return ExitCodes.Failed;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // The side, and its state folder when it is an embedded workspace.
    private static (StoreSide Side, string? State) Side(string value, string? artifactRoot, string option, string artifactOption)
    {
        var here = Environment.CurrentDirectory;
        if (value.StartsWith("postgresql://", StringComparison.Ordinal) || value.StartsWith("postgres://", StringComparison.Ordinal))
        {
            var blobs = artifactRoot is { } root ? ArtifactSettings.Parse(root, artifactOption, here)
                : throw new ArgumentException($"{artifactOption}: a PostgreSQL store keeps its artifacts elsewhere; name its root (s3://BUCKET/PREFIX or file:///PATH).");
            return (new StoreSide(WorkspaceDatabase.OpenAt(StoreAddress.Parse(value, option, allowPassword: true, here)), blobs), null);
        }

        var folder = Path.GetFullPath(value, here);
        var state = File.Exists(Path.Combine(folder, WorkspaceDatabase.FileName)) || Path.GetFileName(folder) == WorkspaceLocation.StateFolderName
            ? folder
            : Path.Combine(folder, WorkspaceLocation.StateFolderName);
        if (option == "--from" && !File.Exists(Path.Combine(state, WorkspaceDatabase.FileName)))
        {
            throw new DirectoryNotFoundException($"--from: {value} holds no workspace store ({Path.Combine(state, WorkspaceDatabase.FileName)} is missing); give a workspace's .notebookml folder or a PostgreSQL URL.");
        }

        return (new StoreSide(
            WorkspaceDatabase.OpenFile(Path.Combine(state, WorkspaceDatabase.FileName)),
            artifactRoot is { } r ? ArtifactSettings.Parse(r, artifactOption, here) : new FolderBlobStore(state)), state);
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
