using System.CommandLine;
using NotebookMl.Core.Registry;
using NotebookMl.Verbs;
using NotebookMl.Training.Registration;
using NotebookMl.Core.Registry.Promotion;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>models promote NAME/VERSION --to ALIAS [--require GATE]… [--max-drift PSI [--drift-window 7d] [--drift-min-rows N]] [--reason TEXT]</c>: moves the alias only if
/// every gate passes (the ONNX gate, the metric gates given and the alias's policy); exit code 1 and every gate's value when one fails.
/// </summary>
internal static class ModelPromotion
{
    /// <summary>The exit code when a gate failed (the alias did not move).</summary>
    public const int GateFailed = 1;

    public static Command Command(IVerbContext context, Func<ModelRegistry> registry)
    {
        var model = new Argument<string>("model") { Description = "NAME/VERSION (or NAME@ALIAS, or a models:/ URI) to promote." };
        var to = new Option<string>("--to") { Description = "The alias to move to it (champion, staging, …).", Required = true };
        var require = new Option<string[]>("--require")
        {
            Description = "A metric gate, repeatable: test_auc>=0.72 (absolute) or test_auc>=champion-0.002, test_rmse<=champion (relative to what an alias points at now).",
            AllowMultipleArgumentsPerToken = false,
        };
        var maxDrift = new Option<double?>("--max-drift") { Description = "The largest PSI allowed between this version's training data (its reference statistics) and any input of the traffic the model served over the last --drift-window (the prediction log); fails when there is no traffic to compare with." };
        var driftWindow = new Option<string?>("--drift-window") { Description = "With --max-drift: how much recent traffic to compare with (default 1d; 7d when weekday is an input)." };
        var minRows = new Option<int?>("--drift-min-rows") { Description = "With --max-drift: the served rows with values each input needs before the gate judges it (default: 10 per bin or category); fewer fail the gate as too little traffic." };
        var reason = new Option<string?>("--reason") { Description = "Why, kept in the alias history." };
        var command = new Command("promote", "Move an alias to a version if every gate passes: the ONNX gate (the artifact reproduces its recorded predictions), metric gates, and the alias's policy from notebookml.yaml.")
        {
            model, to, require, maxDrift, driftWindow, minRows, reason,
        };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(model)!;
            TimeSpan? window = parse.GetValue(driftWindow) is { } windowText
                ? Core.Time.Durations.Parse(windowText, "--drift-window")
                : null;
            var gates = new PromotionPolicy(parse.GetValue(require) ?? [], parse.GetValue(maxDrift), window, parse.GetValue(minRows));
            ModelRegistry.CheckAlias(parse.GetValue(to)!, "to");
            if (!text.Contains('/', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal))
            {
                throw new ArgumentException($"model: '{text}' names no version; promote NAME/VERSION (e.g. {text}/3) or NAME@ALIAS.");
            }

            var opened = registry();
            var version = opened.Resolve(text);
            var result = opened.Promote(version.Name, version.Version, parse.GetValue(to)!, gates, parse.GetValue(reason));
            context.Display(new PromotionDisplay(result));
            return result.Promoted ? 0 : GateFailed;
        });
        return command;
    }
}
