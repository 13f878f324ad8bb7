using System.CommandLine;
using System.Globalization;
using NotebookMl.Core.Features;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Features;

/// <summary>
/// <c>#!features</c> / <c>notebookml features</c>: <c>apply FILE</c>, <c>list</c>, <c>show VIEW</c>,
/// <c>materialize START END</c>, <c>historical --entities FILE --features … --out FILE</c>,
/// <c>online --features … --key NAME=VALUE</c>, over the current workspace's feature store.
/// </summary>
public sealed class FeaturesVerb(Func<FeatureStore>? store = null) : IVerb
{
    // Only apply may create the workspace; every other subcommand reads one that exists.
    private readonly Func<FeatureStore> _store = store ?? FeatureStore.ForExistingWorkspace;
    private readonly Func<FeatureStore> _storeToWrite = store ?? FeatureStore.ForCurrentWorkspace;

    /// <inheritdoc/>
    public string Name => "features";

    /// <inheritdoc/>
    public string Description => "The feature store: apply definitions, list and show views, point-in-time training sets, materialize, online lookups.";

    /// <inheritdoc/>
    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.Subcommands.Add(Apply(context));
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Materialize(context));
        command.Subcommands.Add(Historical(context));
        command.Subcommands.Add(Online(context));
        return command;
    }

    private Command Apply(IVerbContext context)
    {
        var file = new Argument<string>("file") { Description = "A feature definitions file (YAML: entities, feature_views)." };
        var command = new Command("apply", "Check and register definitions; a changed definition becomes a new version.") { file };
        command.SetAction(parse => Use(_storeToWrite, store =>
        {
            var applied = store.Apply(FeatureDefinitionsFile.Read(parse.GetValue(file)!));
            context.Display(new TableResult(
                [new Table(["kind", "name", "version", "changed"], applied.Select(a => (IReadOnlyList<string>)[a.Kind, a.Name, a.Version.ToString(CultureInfo.InvariantCulture), a.Changed ? "new version" : "unchanged"]).ToArray()) { Title = "Applied" }],
                applied.Select(a => new { kind = a.Kind, name = a.Name, version = a.Version, changed = a.Changed })));
        }));
        return command;
    }

    private Command List(IVerbContext context)
    {
        var command = new Command("list", "The feature views (latest versions) and entities.");
        command.SetAction(parse => Use(_store, store =>
        {
            var views = store.ListViews();
            context.Display(new TableResult(
                [new Table(["view", "version", "entities", "keys", "features", "ttl", "source"], views.Select(v => (IReadOnlyList<string>)
                [
                    v.View.Name, v.Version.ToString(CultureInfo.InvariantCulture), string.Join(", ", v.View.Entities), string.Join(", ", v.JoinKeys),
                    string.Join(", ", v.View.Features.Select(f => f.Name)), v.View.Ttl is { } t ? Core.Time.Durations.Format(t) : "none", v.View.Source,
                ]).ToArray()) { Title = views.Count == 0 ? "No feature views; apply a definitions file first." : "Feature views" }],
                views.Select(v => new { name = v.View.Name, version = v.Version, entities = v.View.Entities, join_keys = v.JoinKeys, features = v.View.Features.Select(f => new { name = f.Name, type = f.Type.ToString().ToLowerInvariant() }), ttl_seconds = v.View.Ttl?.TotalSeconds, source = v.View.Source })));
        }));
        return command;
    }

    private Command Show(IVerbContext context)
    {
        var view = new Argument<string>("view") { Description = "The feature view." };
        var command = new Command("show", "A view's schema and per-feature statistics (nulls, min, max, mean, histogram).") { view };
        command.SetAction(parse => Use(_store, store =>
        {
            // A view that is not there is bad input, said before any progress starts.
            var name = store.GetView(parse.GetValue(view)!).View.Name;
            context.Display(new FeatureViewDisplay(context.WithProgress($"summarizing {name}", progress =>
            {
                progress.Report(new ProgressUpdate($"computing the rows of {name}", 0));
                return store.Describe(name);
            })));
        }));
        return command;
    }

    private Command Materialize(IVerbContext context)
    {
        var start = new Argument<string>("start") { Description = "From (inclusive), e.g. 2001-01-01 or 2001-01-01T06:00; 'last' continues where the previous run ended." };
        var end = new Argument<string>("end") { Description = "To (exclusive), e.g. 2001-07-01, or 'now'." };
        var views = new Option<string[]>("--views") { Description = "Only these views (default: all).", AllowMultipleArgumentsPerToken = true };
        var asOf = new Option<string?>("--as-of") { Description = "Judge the views' TTLs as of this time instead of now (a date, or 'end' for END): replaying history, such as the example's 2001 flights." };
        var command = new Command("materialize", "Write each key's latest feature values with event time in [START, END) to the online store.") { start, end, views, asOf };
        command.SetAction(parse => Use(_store, store =>
        {
            var until = Time(parse.GetValue(end)!, "END", store.TimeProvider);
            var from = parse.GetValue(start) == "last" ? (DateTime?)null : Time(parse.GetValue(start)!, "START", store.TimeProvider);
            var only = parse.GetValue(views) is { Length: > 0 } named ? named.Select(v => store.GetView(v).View.Name).ToArray() : store.ListViews().Select(v => v.View.Name).ToArray();
            DateTime? judged = parse.GetValue(asOf) is { } text ? text == "end" ? until : Time(text, "--as-of", store.TimeProvider) : null;
            // A view at a time, so that progress says which one is being computed and written.
            var done = context.WithProgress("materializing", progress => only.SelectMany((view, i) =>
            {
                progress.Report(new ProgressUpdate($"{view} ({i + 1} of {only.Length})", (double)i / only.Length));
                return from is { } begin ? store.Materialize(begin, until, [view], judged) : store.MaterializeIncremental(until, [view], judged);
            }).ToArray());
            var title = judged is { } at ? $"Materialized; TTLs judged as of {at:yyyy-MM-dd HH:mm}" : "Materialized; TTLs judged by the clock (now): use --as-of to replay history";
            context.Display(new TableResult(
                [new Table(["view", "start", "end", "keys written"], done.Select(m => (IReadOnlyList<string>)[m.View, $"{m.Start:yyyy-MM-dd HH:mm:ss}", $"{m.End:yyyy-MM-dd HH:mm:ss}", m.Rows.ToString(CultureInfo.InvariantCulture)]).ToArray()) { Title = title }],
                done.Select(m => new { view = m.View, start = m.Start, end = m.End, rows = m.Rows, as_of = m.AsOf })));
        }));
        return command;
    }

    private Command Historical(IVerbContext context)
    {
        var entities = new Option<string>("--entities") { Description = "Entity rows: a Parquet or CSV file with the join keys and a time column.", Required = true };
        var features = new Option<string>("--features") { Description = "VIEW:FEATURE,VIEW:FEATURE…", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the training set as Parquet here." };
        var timestamp = new Option<string>("--timestamp-column") { Description = "The entity rows' time column.", DefaultValueFactory = _ => "event_timestamp" };
        var fullNames = new Option<bool>("--full-names") { Description = "Name feature columns VIEW__FEATURE." };
        var command = new Command("historical", "A point-in-time correct training set: each entity row gets the features as they were at its time.") { entities, features, output, timestamp, fullNames };
        command.SetAction(parse => Use(_store, store =>
        {
            var wanted = FeatureReference.ParseList(parse.GetValue(features)!);
            foreach (var named in wanted.Select(f => f.View).Distinct())
            {
                store.GetView(named);
            }

            var result = context.WithProgress("point-in-time join", progress =>
            {
                progress.Report(new ProgressUpdate($"joining {string.Join(", ", wanted.Select(f => f.View).Distinct())} to {parse.GetValue(entities)}", 0));
                return store.GetHistoricalFeatures(parse.GetValue(entities)!, wanted, parse.GetValue(timestamp)!, parse.GetValue(fullNames), parse.GetValue(output));
            });
            var frame = result.Frame;
            var head = new Table(frame.Columns.Select(c => c.Name).ToArray(),
                Enumerable.Range(0, (int)Math.Min(10, frame.Rows.Count)).Select(i => (IReadOnlyList<string>)frame.Columns.Select(c => Convert.ToString(c[i], CultureInfo.InvariantCulture) ?? "").ToArray()).ToArray())
            { Title = $"{frame.Rows.Count:N0} rows{(result.OutputPath is { } p ? $" written to {p}" : "")}; first {Math.Min(10, frame.Rows.Count)}" };
            var lineage = new Table(["view", "version"], result.Views.Select(v => (IReadOnlyList<string>)[v.Key, v.Value.ToString(CultureInfo.InvariantCulture)]).ToArray()) { Title = "Feature views used" };
            context.Display(new TableResult([head, lineage], new { rows = frame.Rows.Count, output = result.OutputPath, views = result.Views, columns = frame.Columns.Select(c => c.Name) }));
        }));
        return command;
    }

    private Command Online(IVerbContext context)
    {
        var features = new Option<string>("--features") { Description = "VIEW:FEATURE,VIEW:FEATURE…", Required = true };
        var keys = new Option<string[]>("--key") { Description = "A join key: NAME=VALUE (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true };
        var command = new Command("online", "The latest materialized values for one entity; values past their view's TTL are null.") { features, keys };
        command.SetAction(parse => Use(_store, store =>
        {
            var key = new Dictionary<string, object?>();
            foreach (var pair in parse.GetValue(keys)!)
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0)
                {
                    throw new ArgumentException($"--key: '{pair}' is not NAME=VALUE (e.g. origin=SEA).");
                }

                key[parts[0]] = parts[1];
            }

            var values = store.ExplainOnlineFeaturesAsync(FeatureReference.ParseList(parse.GetValue(features)!), key).GetAwaiter().GetResult();
            var entity = string.Join(", ", key.Select(k => $"{k.Key}={k.Value}"));
            // Every null says why: past its view's TTL (when), or never materialized for this key.
            string? Why(KeyValuePair<string, Core.Features.Online.OnlineValue> v) => v.Value.Reason(store.GetView(v.Key.Split(':')[0]).View.Ttl, entity);
            context.Display(new TableResult(
                [new Table(["feature", "value", "why null"], values.Select(v => (IReadOnlyList<string>)[v.Key, v.Value.Value is null ? "null" : Convert.ToString(v.Value.Value, CultureInfo.InvariantCulture)!, Why(v) ?? ""]).ToArray()) { Title = entity }],
                new
                {
                    key = key.ToDictionary(k => k.Key, k => k.Value),
                    features = values.Select(v => new { feature = v.Key, value = v.Value.Value, outcome = v.Value.Outcome.ToString().ToLowerInvariant(), event_time = v.Value.EventTime, judged_at = v.Value.JudgedAt, why_null = Why(v) }),
                }));
        }));
        return command;
    }

    private static void Use(Func<FeatureStore> open, Action<FeatureStore> action)
    {
        var store = open();
        try
        {
            action(store);
        }
        finally
        {
            store.Dispose();
        }
    }

    private static DateTime Time(string text, string name, TimeProvider clock) =>
        text == "now" ? clock.GetUtcNow().UtcDateTime
        : DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new ArgumentException($"{name} '{text}': expected a date or date and time, e.g. 2001-01-01 or 2001-01-01T06:00, or 'now'.");
}
