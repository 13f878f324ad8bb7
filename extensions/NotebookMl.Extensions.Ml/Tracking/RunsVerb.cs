using System.CommandLine;
using NotebookMl.Core.Tracking;
using NotebookMl.Verbs;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>
/// <c>#!runs</c> / <c>notebookml runs</c>: <c>list</c>, <c>show ID</c>, <c>compare ID ID…</c>, <c>delete ID…</c>
/// over the current workspace's tracked runs. A run id may be shortened to a unique prefix (4+ characters).
/// </summary>
public sealed class RunsVerb(Func<Tracker>? tracker = null) : IVerb
{
    private readonly Func<Tracker> _tracker = tracker ?? Tracker.ForExistingWorkspace;

    /// <inheritdoc/>
    public string Name => "runs";

    /// <inheritdoc/>
    public string Description => "List, show, compare and delete tracked runs (experiments, params, metrics, artifacts).";

    /// <inheritdoc/>
    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Compare(context));
        command.Subcommands.Add(Delete(context));
        return command;
    }

    private Command List(IVerbContext context)
    {
        var experiment = new Option<string?>("--experiment", "-e") { Description = "Only this experiment's runs." };
        var filter = new Option<string?>("--filter") { Description = "Conditions joined by 'and': params.lr = '0.1', metrics.auc >= 0.8, tags.team = 'ml', status = 'FINISHED'." };
        var orderBy = new Option<string?>("--order-by") { Description = "metrics.KEY, params.KEY, started, name or status, then asc or desc (default: newest first)." };
        var limit = new Option<int?>("--limit", "-n") { Description = "At most this many runs (default 50)." };
        var columns = new Option<string?>("--columns") { Description = "The columns to show, comma-separated: params.KEY, metrics.KEY, tags.KEY, experiment, name, status, started, ended, duration (default: the metrics first, then params, as the width allows)." };
        var wide = new Option<bool>("--wide") { Description = "Every column, at full width, however wide the terminal." };
        var command = new Command("list", "List runs with their params and latest metrics.") { experiment, filter, orderBy, limit, columns, wide };
        command.SetAction(parse =>
        {
            var runs = _tracker().ListRuns(new RunQuery
            {
                Experiment = parse.GetValue(experiment),
                Filter = parse.GetValue(filter),
                OrderBy = parse.GetValue(orderBy),
                Limit = parse.GetValue(limit) is { } n and > 0 ? n : 50,
            });
            var asked = parse.GetValue(columns)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var primary = parse.GetValue(orderBy) is { } order && order.Trim().StartsWith("metrics.", StringComparison.OrdinalIgnoreCase)
                ? order.Trim()["metrics.".Length..].Split(' ')[0].Trim('`')
                : null;
            context.Display(new RunList(runs, asked, parse.GetValue(wide), primary));
        });
        return command;
    }

    private Command Show(IVerbContext context)
    {
        var id = new Argument<string>("id") { Description = "The run (id or unique prefix)." };
        var command = new Command("show", "Everything a run recorded: params, metrics, tags, artifacts, inputs, git, environment.") { id };
        command.SetAction(parse => context.Display(new RunShow(_tracker().GetRun(parse.GetValue(id)!))));
        return command;
    }

    private Command Compare(IVerbContext context)
    {
        var ids = new Argument<string[]>("ids") { Description = "Two or more runs (ids or unique prefixes).", Arity = new ArgumentArity(2, 100) };
        var command = new Command("compare", "Params and metrics side by side, differences marked; metric curves and parallel coordinates in notebooks.") { ids };
        command.SetAction(parse =>
        {
            var tracker = _tracker();
            var runs = parse.GetValue(ids)!.Select(i => tracker.GetRun(i).Summary).ToArray();
            context.Display(RunComparison.Of(tracker, runs));
        });
        return command;
    }

    private Command Delete(IVerbContext context)
    {
        var ids = new Argument<string[]>("ids") { Description = "The runs to delete (ids or unique prefixes).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("delete", "Delete runs with their params, metrics, tags and artifacts (artifact files no other run shares are removed).") { ids };
        command.SetAction(parse =>
        {
            var tracker = _tracker();
            var full = parse.GetValue(ids)!.Select(tracker.ResolveId).ToArray();
            foreach (var id in full)
            {
                tracker.DeleteRun(id);
                context.WriteLine($"deleted run {id}");
            }
        });
        return command;
    }
}
