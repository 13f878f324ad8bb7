using System.CommandLine;
using System.Globalization;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Registry;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Verbs;
using NotebookMl.Core.Registry.Traffic;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>models canary NAME --alias A --percent P</c> (or <c>--off</c>), <c>models shadow NAME --alias A</c> (or <c>--off</c>) and
/// <c>models shadow-report NAME [--since 1h]</c>: traffic routes stored in the registry, which running endpoints follow
/// without a restart, and how the shadow compares with what callers got.
/// </summary>
internal static class TrafficCommands
{
    public static IEnumerable<Command> Create(IVerbContext context, Func<ModelRegistry> registry) => [Canary(context, registry), Shadow(context, registry), Report(context, registry)];

    private static Command Canary(IVerbContext context, Func<ModelRegistry> registry)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var alias = new Option<string?>("--alias") { Description = "The alias whose version answers the canary's share (challenger…); the canary follows it when it moves." };
        var percent = new Option<double?>("--percent") { Description = "The share of requests that name no version sent to it: more than 0, at most 100." };
        var off = new Option<bool>("--off") { Description = "Switch the canary off: every request goes to the serving alias again." };
        var command = new Command("canary", "Send a share of a model's traffic to another alias's version on every endpoint serving it (no restart); responses' model_version says which answered.") { name, alias, percent, off };
        command.SetAction(parse =>
        {
            var model = parse.GetValue(name)!;
            var open = registry();
            TrafficRoutes routes;
            if (parse.GetValue(off))
            {
                routes = parse.GetValue(alias) is null && parse.GetValue(percent) is null ? open.ClearCanary(model) : throw new ArgumentException("--off: give it alone, without --alias or --percent.");
            }
            else
            {
                var (target, share) = (parse.GetValue(alias) ?? throw new ArgumentException("--alias: give the alias the canary goes to (or --off)."),
                    parse.GetValue(percent) ?? throw new ArgumentException("--percent: give the share of traffic, e.g. --percent 10."));
                CheckInputs(open, model, target, "canary");
                routes = open.SetCanary(model, target, share);
            }

            context.Display(Result(open, routes));
        });
        return command;
    }

    private static Command Shadow(IVerbContext context, Func<ModelRegistry> registry)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var alias = new Option<string?>("--alias") { Description = "The alias whose version shadows (challenger…); the shadow follows it when it moves." };
        var off = new Option<bool>("--off") { Description = "Switch the shadow off." };
        var command = new Command("shadow", "Mirror a model's requests to another alias's version, off the request path: its answers go to the prediction log, never to the caller.") { name, alias, off };
        command.SetAction(parse =>
        {
            var model = parse.GetValue(name)!;
            var open = registry();
            TrafficRoutes routes;
            if (parse.GetValue(off))
            {
                routes = parse.GetValue(alias) is null ? open.ClearShadow(model) : throw new ArgumentException("--off: give it alone, without --alias.");
            }
            else
            {
                var target = parse.GetValue(alias) ?? throw new ArgumentException("--alias: give the alias that shadows (or --off).");
                CheckInputs(open, model, target, "shadow");
                routes = open.SetShadow(model, target);
            }

            context.Display(Result(open, routes));
        });
        return command;
    }

    private static Command Report(IVerbContext context, Func<ModelRegistry> registry)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var since = new Option<string?>("--since") { Description = "Only requests this recent (30m, 1h, 7d); default: the whole prediction log." };
        var command = new Command("shadow-report", "How the shadow agrees with the answers callers got (share of equal labels, mean and max score difference) and the latency of each, from the prediction log.") { name, since };
        command.SetAction(parse =>
        {
            var open = registry();
            var model = parse.GetValue(name)!;
            var outputs = open.Latest(model).Signature.Outputs.Select(o => o.Name).ToArray();
            DateTimeOffset? from = parse.GetValue(since) is { } text
                ? open.TimeProvider.GetUtcNow() - Core.Time.Durations.Parse(text, "--since")
                : null;
            context.Display(ReportResult(ShadowReport.Compute(open.Workspace, model, outputs, from)));
        });
        return command;
    }

    // A version that cannot answer what callers send the served one is refused before any endpoint follows it.
    private static void CheckInputs(ModelRegistry registry, string model, string alias, string route)
    {
        if (registry.AliasVersion(model, ModelReference.ServingAlias) is not { } served || registry.AliasVersion(model, alias) is not { } candidate)
        {
            return;
        }

        var store = new Lazy<Core.Features.FeatureStore>(() => Core.Features.FeatureStore.Open(registry.Workspace));
        try
        {
            TrafficInputs.Check(served, candidate, route, () => store.Value);
        }
        finally
        {
            if (store.IsValueCreated)
            {
                store.Value.Dispose();
            }
        }
    }

    private static TableResult Result(ModelRegistry registry, TrafficRoutes routes)
    {
        string Target(string alias) => registry.AliasVersion(routes.Name, alias)?.Version.ToString(CultureInfo.InvariantCulture) ?? "none";
        var rows = new List<IReadOnlyList<string>>
        {
            routes.Canary is { } c ? ["canary", "@" + c.Alias, Target(c.Alias), c.Percent.ToString("0.##", CultureInfo.InvariantCulture) + " %", Tracking.Html.Time(c.Time), c.Who] : ["canary", "off", "", "", "", ""],
            routes.Shadow is { } s ? ["shadow", "@" + s.Alias, Target(s.Alias), "mirrored", Tracking.Html.Time(s.Time), s.Who] : ["shadow", "off", "", "", "", ""],
        };
        return new TableResult(
            [new Table(["route", "alias", "version", "traffic", "set", "by"], rows) { Title = $"Traffic of {routes.Name} (running endpoints follow within a second)" }],
            new
            {
                name = routes.Name,
                canary = routes.Canary is { } canary ? new { alias = canary.Alias, version = registry.AliasVersion(routes.Name, canary.Alias)?.Version, percent = canary.Percent, time = canary.Time, who = canary.Who } : null,
                shadow = routes.Shadow is { } shadow ? new { alias = shadow.Alias, version = registry.AliasVersion(routes.Name, shadow.Alias)?.Version, time = shadow.Time, who = shadow.Who } : null,
            });
    }

    internal static TableResult ReportResult(ShadowReport report)
    {
        static string N(double? value) => value is { } v ? Tracking.Html.Number(v) : "";
        static string Share(double? value) => value is { } v ? (v * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %" : "";
        var title = (report.Pairs, report.Failed) switch
        {
            (0, 0) => $"No shadow answers of {report.Model} in the prediction log yet; set one with 'models shadow {report.Model} --alias ALIAS' and send requests.",
            (0, var failed) => $"No shadow answers of {report.Model}: the shadow failed on all {failed:N0} mirrored requests (below, with why).",
            _ => $"Shadow of {report.Model}: version {string.Join(", ", report.ShadowVersions)} against version {string.Join(", ", report.ServedVersions)}, {report.Pairs:N0} rows" +
                (report.Failed > 0 ? $"; {report.Failed:N0} mirrored requests failed (below)" : ""),
        };
        var outputs = new Table(["output", "kind", "agreement", "mean |difference|", "max |difference|"],
            report.Outputs.Select(o => (IReadOnlyList<string>)[o.Column, o.Kind, Share(o.Agreement), N(o.MeanAbsoluteDifference), N(o.MaxAbsoluteDifference)]).ToArray()) { Title = title };
        var latency = new Table(["answer", "requests", "mean ms", "p50 ms", "p99 ms"],
            new[] { ("served", report.Served), ("shadow", report.Shadow) }.Select(l => (IReadOnlyList<string>)[l.Item1, l.Item2.Count.ToString("N0", CultureInfo.InvariantCulture), N(l.Item2.Mean), N(l.Item2.P50), N(l.Item2.P99)]).ToArray())
            { Title = "Latency (served: request read to answer; shadow: its run)" };
        var failures = new Table(["shadow version", "failed requests", "reason"],
            report.Failures.Select(f => (IReadOnlyList<string>)[f.Version.ToString(CultureInfo.InvariantCulture), f.Requests.ToString("N0", CultureInfo.InvariantCulture), f.Reason]).ToArray())
            { Title = "Mirrors the shadow failed" };
        return new TableResult(report.Failures.Count > 0 ? [outputs, latency, failures] : [outputs, latency], new
        {
            model = report.Model,
            pairs = report.Pairs,
            failed = report.Failed,
            failures = report.Failures.Select(f => new { version = f.Version, reason = f.Reason, requests = f.Requests }),
            served_versions = report.ServedVersions,
            shadow_versions = report.ShadowVersions,
            outputs = report.Outputs.Select(o => new { output = o.Column, kind = o.Kind, agreement = o.Agreement, mean_abs_diff = o.MeanAbsoluteDifference, max_abs_diff = o.MaxAbsoluteDifference }),
            latency_ms = new
            {
                served = new { count = report.Served.Count, mean = report.Served.Mean, p50 = report.Served.P50, p99 = report.Served.P99 },
                shadow = new { count = report.Shadow.Count, mean = report.Shadow.Mean, p50 = report.Shadow.P50, p99 = report.Shadow.P99 },
            },
        });
    }
}
