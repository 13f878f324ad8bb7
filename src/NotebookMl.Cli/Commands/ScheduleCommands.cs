using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using NotebookMl.Cli.Rendering;
using NotebookMl.Core.Storage;
using NotebookMl.Runner;
using NotebookMl.Runner.Scheduling;
using Spectre.Console;

namespace NotebookMl.Cli.Commands;

/// <summary><c>notebookml schedule run | list | history | trigger</c>: notebooks as scheduled pipelines (<c>pipelines.yaml</c>).</summary>
internal static class ScheduleCommands
{
    /// <summary>The option every schedule verb takes.</summary>
    public static readonly Option<string?> Config = new("--config", "-c")
    {
        Description = "The pipelines file (default: pipelines.yaml here, then in the workspace root).",
        HelpName = "FILE",
        Recursive = true,
    };

    public static Command Create(CliVerbContext output)
    {
        var command = new Command("schedule", "Run notebooks as pipelines on cron schedules, with retries, overlap and catch-up policies and a run history.")
        {
            Config,
        };
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(ScheduleReports.CreateList(output));
        command.Subcommands.Add(ScheduleReports.CreateHistory(output));
        command.Subcommands.Add(CreateTrigger());
        command.Subcommands.Add(ScheduleExportCommand.Create(output));
        return command;
    }

    /// <summary>True when <paramref name="parse"/> is <c>schedule run</c>, which handles SIGTERM and Ctrl-C itself (grace period).</summary>
    public static bool HandlesSignals(ParseResult parse) =>
        parse.CommandResult.Command.Name == "run" && parse.CommandResult.Parent is System.CommandLine.Parsing.CommandResult { Command.Name: "schedule" };

    /// <summary>Reads the pipelines file the parse names (or the default one).</summary>
    public static PipelineConfiguration ReadConfiguration(ParseResult parse) =>
        PipelineConfigurationReader.Find(parse.GetValue(Config), Environment.CurrentDirectory, Environment.GetEnvironmentVariable("NOTEBOOKML_HOME"));

    /// <summary>The run history of <paramref name="configuration"/>'s workspace.</summary>
    public static RunHistoryStore OpenStore(PipelineConfiguration configuration) => new(WorkspaceDatabase.Open(configuration.Workspace));

    private static Command CreateRun()
    {
        var grace = new Option<double?>("--grace") { Description = "Seconds running pipelines may go on after SIGTERM/Ctrl-C (default: grace_period, 5 minutes).", HelpName = "S" };
        var command = new Command("run", "Run the scheduler until SIGTERM or Ctrl-C (a second Ctrl-C stops running pipelines at once).") { grace };
        command.SetAction(async (parse, _) =>
        {
            var configuration = ReadConfiguration(parse);
            if (parse.GetValue(grace) is { } seconds)
            {
                configuration = configuration with { GracePeriod = TimeSpan.FromSeconds(Math.Max(0, seconds)) };
            }

            using var schedulerLock = SchedulerLock.Acquire(configuration.Workspace.StateFolder);
            var store = OpenStore(configuration);
            using var stopping = new CancellationTokenSource();
            using var abortNow = new CancellationTokenSource();
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                if (stopping.IsCancellationRequested)
                {
                    abortNow.Cancel();
                }

                stopping.Cancel();
            }

            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            var console = Console();
            var enabled = configuration.Pipelines.Count(p => p.Enabled);
            console.MarkupLine(Markup.Escape(
                $"notebookml schedule: {enabled} pipeline(s) from {configuration.Path}; history in {store.DatabasePath}; runs in {configuration.RunsFolder}"));
            var observer = new ConsoleSchedulerObserver(console, TimeProvider.System, configuration.RunsFolder);
            var executor = new NotebookPipelineExecutor(TimeProvider.System, RunCommand.BuiltInKernel());
            await new PipelineScheduler(configuration, store, executor, TimeProvider.System, observer).RunAsync(abortNow.Token, stopping.Token);
            console.MarkupLine("notebookml schedule: stopped");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateTrigger()
    {
        var name = new Argument<string>("name") { Description = "The pipeline to run now." };
        var at = new Option<string?>("--scheduled-time") { Description = "The occurrence to run for (its parameters are rendered from it), e.g. 2026-11-20 or 2026-11-20T06:00; default: now.", HelpName = "TIME" };
        var ifTriggered = new Option<bool>("--if-triggered") { Description = "For a pipeline with a trigger: check it first and run only if it fires (what an exported schedule calls)." };
        var command = new Command("trigger", "Run one pipeline now, with its retries, recorded in the history; exits with the run's exit code.") { name, at, ifTriggered };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = ReadConfiguration(parse);
            var pipeline = configuration.Find(parse.GetValue(name)!);
            var scheduledTime = parse.GetValue(at) is { } text ? ParseTime(text, pipeline) : TruncateToSeconds(TimeProvider.System.GetUtcNow());
            var store = OpenStore(configuration);
            var observer = new ConsoleSchedulerObserver(Console(), TimeProvider.System, configuration.RunsFolder);
            var (kind, reason) = (RunTrigger.Manual, (string?)null);
            if (parse.GetValue(ifTriggered))
            {
                var trigger = pipeline.Trigger ?? throw new RunnerInputException($"--if-triggered: pipeline {pipeline.Name} has no trigger; it runs on its schedule.");
                var check = trigger.Check(configuration.Workspace, TimeProvider.System.GetUtcNow(), trigger.LastFired(store, pipeline.Name));
                observer.TriggerChecked(pipeline, scheduledTime, check);
                if (!check.Fired)
                {
                    return ExitCodes.Ok;
                }

                (kind, reason) = (trigger.Kind, check.Reason);
            }

            var executor = new NotebookPipelineExecutor(TimeProvider.System, RunCommand.BuiltInKernel());
            var coordinator = new PipelineRunCoordinator(store, executor, TimeProvider.System, observer, configuration.RunsFolder);
            var outcome = await coordinator.RunAsync(pipeline, scheduledTime, kind, cancellationToken, cancellationToken, reason);
            return outcome.ExitCode;
        });
        return command;
    }

    private static DateTimeOffset ParseTime(string text, PipelineDefinition pipeline)
    {
        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var withOffset) && HasOffset(text))
        {
            return withOffset.ToUniversalTime();
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var local))
        {
            var zone = pipeline.Schedule.TimeZone;
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local)).ToUniversalTime();
        }

        throw new RunnerInputException($"--scheduled-time '{text}': expected a date or date and time, e.g. 2026-11-20 or 2026-11-20T06:00 (in {pipeline.Schedule.TimeZone.Id} unless it has an offset).");
    }

    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d$");

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);

    private static IAnsiConsole Console() => Terminal.Create(Terminal.Out);
}
