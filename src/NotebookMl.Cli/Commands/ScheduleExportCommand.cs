using System.CommandLine;
using NotebookMl.Cli.Rendering;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Runner.Scheduling.Export;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Cli.Commands;

/// <summary><c>notebookml schedule export --format airflow|kubernetes|github-actions</c>: the pipelines for a scheduler beyond one machine.</summary>
internal static class ScheduleExportCommand
{
    private static readonly Dictionary<string, ExportFormat> s_formats = new(StringComparer.Ordinal)
    {
        ["airflow"] = ExportFormat.Airflow, ["kubernetes"] = ExportFormat.Kubernetes, ["github-actions"] = ExportFormat.GithubActions,
    };

    public static Command Create(CliVerbContext output)
    {
        var format = new Option<string>("--format") { Description = "airflow (a DAG per pipeline), kubernetes (a CronJob per pipeline) or github-actions (a workflow per pipeline).", Required = true };
        format.AcceptOnlyFromAmong([.. s_formats.Keys]);
        var folder = new Option<string?>("--output", "-o") { Description = "The folder to write to (default: deploy/schedules/FORMAT beside the pipelines file).", HelpName = "DIR" };
        var image = new Option<string>("--image") { Description = "kubernetes: the container image holding notebookml (deploy/Dockerfile builds one).", DefaultValueFactory = _ => "notebookml:latest" };
        var command = new Command("export", "Write each pipeline as an Airflow DAG, a Kubernetes CronJob or a GitHub Actions workflow that runs 'notebookml schedule trigger' on its schedule.") { format, folder, image };
        command.SetAction(parse =>
        {
            var configuration = ScheduleCommands.ReadConfiguration(parse);
            var name = parse.GetValue(format)!;
            var target = Path.GetFullPath(parse.GetValue(folder) ?? Path.Combine(Path.GetDirectoryName(configuration.Path)!, "deploy", "schedules", name));
            var written = ScheduleExporter.Write(configuration, s_formats[name], target, parse.GetValue(image)!);
            output.Display(new Table(["pipeline", "file", "cron", "runs"], written.Select(w => (IReadOnlyList<string>)[w.Pipeline, w.Path, w.Schedule, string.Join(' ', w.Command)]).ToArray())
            {
                Title = $"{written.Count} pipeline(s) exported for {name}",
            });
        });
        return command;
    }
}
