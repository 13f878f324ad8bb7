using System.CommandLine;
using NotebookMl.Core.Registry;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Verbs;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Core.Registry.Publishing;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>models publish NAME[/VERSION|@ALIAS] --to URL [--alias ALIAS] [--token-file FILE] [--require GATE]… [--reason TEXT]</c>:
/// sends a registered version (ONNX, signature, lineage, reference statistics, recorded sample) to a running endpoint, which
/// registers it and moves the alias (by default the one it serves) only if every gate passes there, then swaps it in. The result
/// is what the endpoint serves afterwards, read back from it. Exit code 1 when a gate failed or the endpoint does not serve the
/// published version for its alias, with every gate's value.
/// </summary>
internal static class ModelPublishing
{
    public static Command Command(IVerbContext context, Func<ModelRegistry> registry)
    {
        var model = new Argument<string>("model") { Description = "NAME (its latest version), NAME/VERSION, NAME@ALIAS or a models:/ URI." };
        var to = new Option<string>("--to") { Description = "The endpoint's URL (notebookml serve), e.g. http://serving-host:8000.", Required = true };
        var alias = new Option<string?>("--alias") { Description = "The alias to move there (default: the alias the endpoint serves)." };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file with the endpoint's bearer token." };
        var require = new Option<string[]>("--require") { Description = "A metric gate to pass there besides the endpoint's own, repeatable (test_auc>=champion-0.002)." };
        var maxDrift = new Option<double?>("--max-drift") { Description = "The largest drift (PSI) allowed; reports itself unavailable until drift monitoring exists." };
        var reason = new Option<string?>("--reason") { Description = "Why, kept in the endpoint's alias history." };
        var insecure = new Option<bool>("--allow-insecure-http") { Description = "Send the token over plain http to a host that is not loopback (it crosses the network in clear)." };
        var command = new Command("publish", "Send a registered version to a running endpoint, which registers it and promotes it through its gates (how a pipeline publishes).")
        {
            model, to, alias, tokenFile, require, maxDrift, reason, insecure,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var gates = new PromotionPolicy(parse.GetValue(require) ?? [], parse.GetValue(maxDrift));
            if (parse.GetValue(alias) is { } named)
            {
                ModelRegistry.CheckAlias(named);
            }

            var url = Uri.TryCreate(parse.GetValue(to), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed : throw new ArgumentException($"--to: '{parse.GetValue(to)}' is not an http(s) URL.");
            var allowInsecure = parse.GetValue(insecure);
            if (parse.GetValue(tokenFile) is not null && !allowInsecure && Core.Net.PlainHttp.SendsInClear(url))
            {
                throw new ArgumentException($"--to: {url} is plain http to a host that is not loopback, so the token would cross the network in clear; use https, or pass --allow-insecure-http.");
            }

            var token = await TokenFile.ReadAsync(parse.GetValue(tokenFile), cancellation);
            var opened = registry();
            var version = opened.Resolve(parse.GetValue(model)!);
            PublicationResult result;
            try
            {
                result = await opened.PublishAsync(version, url, parse.GetValue(alias), gates, parse.GetValue(reason), token, allowInsecureHttp: allowInsecure, cancellationToken: cancellation);
            }
            catch (IOException e)
            {
                throw new IOException($"--to: {e.Message}");
            }

            var rows = result.Gates.Select(g => (IReadOnlyList<string>)[g.Gate, g.Value, g.Passed ? "passed" : "FAILED"]).ToArray();
            var title = result.Promoted
                ? $"Published {version.Uri} to {url}: version {result.Version} there, promoted to @{result.Alias}; {Serving(result)}"
                : $"Published {version.Uri} to {url} as version {result.Version}, not promoted: {result.Gates.Count(g => !g.Passed)} of {result.Gates.Count} gates failed";
            context.Display(new TableResult([new Table(["gate", "value", "result"], rows) { Title = title }],
                new
                {
                    name = version.Name, source_version = version.Version, endpoint = url, version = result.Version, alias = result.Alias, promoted = result.Promoted,
                    gates = result.Gates.Select(g => new { gate = g.Gate, value = g.Value, passed = g.Passed }),
                    serving = new { alias = result.ServingAlias, version = result.ServingVersion, reason = result.ServingReason },
                }));
            // Promoted to the served alias but not served (the new version failed to load there) is a failure too.
            return result.Promoted && (result.Serves || result.Alias != result.ServingAlias) ? 0 : ModelPromotion.GateFailed;
        });
        return command;
    }

    private static string Serving(PublicationResult result) => result switch
    {
        { Serves: true } => $"the endpoint serves it for @{result.ServingAlias}",
        _ when result.Alias != result.ServingAlias => $"the endpoint serves @{result.ServingAlias} ({(result.ServingVersion is { } v ? $"version {v}" : "none")}), not @{result.Alias}",
        _ => $"but the endpoint serves {(result.ServingVersion is { } v ? $"version {v}" : "nothing")} for @{result.ServingAlias}{(result.ServingReason is { } why ? $": {why}" : "")}",
    };
}
