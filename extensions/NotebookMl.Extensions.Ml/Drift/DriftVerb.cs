using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Monitoring;
using NotebookMl.Core.Drift.Sources;
using NotebookMl.Core.Features;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Time;
using NotebookMl.Verbs;

namespace NotebookMl.Extensions.Ml.Drift;

/// <summary>
/// <c>#!drift</c> / <c>notebookml drift</c>: <c>compare REFERENCE CURRENT</c> (files, queries, DataFrames, feature views,
/// a model's reference statistics) and <c>model NAME[@ALIAS] --window 1d</c> (the model's reference statistics against its
/// prediction log). Exit code 1 with <c>--fail-on-drift</c> when the data set drifted, 2 for bad input.
/// </summary>
public sealed class DriftVerb(IVariableSource? variables = null, Func<ModelRegistry>? registry = null, Func<FeatureStore>? features = null) : IVerb
{
    /// <summary>The exit code when <c>--fail-on-drift</c> is given and the data set drifted.</summary>
    public const int DriftFound = 1;

    private readonly Func<ModelRegistry> _registry = registry ?? (() => ModelRegistry.Open(Core.Workspaces.WorkspaceLocation.CurrentExisting()));
    private readonly Func<FeatureStore> _features = features ?? FeatureStore.ForExistingWorkspace;

    /// <inheritdoc/>
    public string Name => "drift";

    /// <inheritdoc/>
    public string Description => "Data and prediction drift (PSI, Kolmogorov–Smirnov, chi-square, Jensen–Shannon, Wasserstein) with data quality, between two data sets or a model's training data and its traffic.";

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> RenamedOptions { get; } = new Dictionary<string, string>
    {
        ["Method"] = "--method", ["Threshold"] = "--threshold", ["Columns"] = "--columns", ["DatasetThreshold"] = "--dataset-threshold", ["Bins"] = "--bins",
        ["ReferenceQuery"] = "--reference-query", ["CurrentQuery"] = "--current-query", ["every"] = "--every",
    };

    /// <inheritdoc/>
    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.Subcommands.Add(Compare(context));
        command.Subcommands.Add(Model(context));
        return command;
    }

    private Command Compare(IVerbContext context)
    {
        var reference = new Argument<string>("reference") { Description = "The reference: a Parquet/CSV/Arrow file, a DataFrame (in a notebook), view:NAME@FROM..TO, or models:/NAME@ALIAS (its reference statistics)." };
        var current = new Argument<string>("current") { Description = "The current data: a file, a DataFrame or view:NAME@FROM..TO." };
        var referenceQuery = new Option<string?>("--reference-query") { Description = "DuckDB SQL over the reference, which it names source (SELECT * FROM source WHERE …)." };
        var currentQuery = new Option<string?>("--current-query") { Description = "DuckDB SQL over the current data, which it names source." };
        var shared = new SharedOptions();
        var command = new Command("compare", "Compare two data sets column by column: a statistic, a threshold and a verdict per column, data quality, and whether the data set drifted.")
        {
            reference, current, referenceQuery, currentQuery,
        };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var options = shared.Read(parse);
            var sources = new DriftSources(ReferenceOf, _features, variables is null ? null : Frame, Environment.CurrentDirectory);
            var (left, right) = DriftSide.OpenBoth(context, sources,
                new(parse.GetValue(reference)!, parse.GetValue(referenceQuery), "reference", "ReferenceQuery"),
                new(parse.GetValue(current)!, parse.GetValue(currentQuery), "current", "CurrentQuery"), cancellationToken);
            using (left)
            using (right)
            {
                return Task.FromResult(Show(context, parse, shared, Run(context, left, right, options, cancellationToken)));
            }
        });
        return command;
    }

    private Command Model(IVerbContext context)
    {
        var model = new Argument<string>("model") { Description = "NAME@ALIAS, NAME/VERSION or NAME (its @champion): whose reference statistics to compare with its traffic." };
        var window = new Option<string>("--window") { Description = "How much recent traffic from the prediction log (30m, 1d, 7d).", DefaultValueFactory = _ => "1d" };
        var every = new Option<string?>("--every") { Description = "Drift over time: compare each bucket of this width (1h, 1d) instead of the window as a whole; saved under .notebookml/monitoring/NAME/." };
        var since = new Option<string?>("--since") { Description = "With --every: how far back the buckets go (7d); default: --window." };
        var minRows = new Option<int?>("--min-rows") { Description = $"The served rows with values a column needs before it is measured (default: {DriftOptions.DefaultMinRowsPerBin} per bin or category for PSI, Jensen–Shannon and chi-square); a column with fewer says so instead of a figure." };
        var shared = new SharedOptions();
        var command = new Command("model", "Compare a model's training data (its reference statistics: every input and the prediction) with what its endpoint answered over the window, or per bucket over time.") { model, window, every, since, minRows };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            // Served traffic is judged only where there is enough of it (the drift gate's and the trigger's rule).
            var options = (shared.Read(parse) with { MinRows = parse.GetValue(minRows), MinRowsPerBin = DriftOptions.DefaultMinRowsPerBin }).Validate();
            var span = Durations.Parse(parse.GetValue(window)!, "--window", positive: true);
            var open = _registry();
            var version = open.Resolve(parse.GetValue(model)!);
            using var reference = Reference(open, version);
            var now = open.TimeProvider.GetUtcNow();
            if (parse.GetValue(every) is { } width)
            {
                var back = parse.GetValue(since) is { } text ? Durations.Parse(text, "--since", positive: true) : span;
                var timeline = DriftMonitor.Compute(reference, open.Workspace, version.Name, version.Version, now - back, now, Durations.Parse(width, "--every", positive: true), options, cancellationToken);
                var saved = DriftHistory.Save(open.Workspace, timeline, now);
                var scored = ModelPerformance.Compute(open.Workspace, version.Name, version.Metrics, timeline.Buckets.Select(b => (b.Start, b.End)).ToArray());
                var result = new DriftTimelineResult(timeline, saved, scored);
                return Task.FromResult(Show(context, parse, shared, result, result.ToDocument, timeline.Latest?.Report?.DatasetDrift == true));
            }

            if (parse.GetValue(since) is not null)
            {
                throw new ArgumentException("--since: give it with --every (drift per bucket); for one comparison use --window.");
            }

            using var traffic = DriftSources.PredictionLog(open.Workspace, version.Name, now - span, now)
                ?? throw new InvalidDataException($"model '{version.Name}' has no prediction log in {PredictionLogFiles.Folder(open.Workspace)}{(Core.Storage.ArtifactSettings.IsShared(open.Workspace) ? " or the shared store" : "")}; serve it with 'notebookml serve' (the log is on by default) and send requests first.");
            if (traffic.Rows == 0)
            {
                throw new InvalidDataException($"the prediction log of {version.Name} has no served rows in the last {parse.GetValue(window)}; widen --window or send requests to the endpoint.");
            }

            var performance = ModelPerformance.Compute(open.Workspace, version.Name, version.Metrics, [(now - span, now)]);
            return Task.FromResult(Show(context, parse, shared, Run(context, reference, traffic, options, cancellationToken), performance));
        });
        return command;
    }

    private IDriftDataset ReferenceOf(string uri)
    {
        var open = _registry();
        return Reference(open, open.Resolve(uri));
    }

    private static ProfileDataset Reference(ModelRegistry registry, ModelVersion version)
    {
        var statistics = registry.ReadReference(version) ?? throw new InvalidDataException($"{version.Uri} was registered without reference statistics; register it again from a training run.");
        return new ProfileDataset(statistics, $"{version.Uri} (reference statistics, {statistics.Rows:N0} rows)");
    }

    private static DriftReport Run(IVerbContext context, IDriftDataset reference, IDriftDataset current, DriftOptions options, CancellationToken cancellationToken)
    {
        return context.WithProgress("comparing columns", progress => DriftCalculator.Compare(reference, current, options, new ColumnProgress(progress), cancellationToken));
    }

    /// <summary>Columns done as progress, a line per 5 % at most: a report of a thousand columns is not a thousand lines in a CI log.</summary>
    private sealed class ColumnProgress(IProgress<ProgressUpdate> progress) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value)
        {
            if (value.Done == value.Total || value.Done * 20 / value.Total != (value.Done - 1) * 20 / value.Total)
            {
                progress.Report(new ProgressUpdate($"{value.Done} of {value.Total} columns", (double)value.Done / value.Total));
            }
        }
    }

    private static int Show(IVerbContext context, ParseResult parse, SharedOptions shared, DriftReport report, ModelPerformance? performance = null)
    {
        var result = new DriftReportResult(report, performance);
        // A column too thin to measure fails a CI gate too: it passes only on what was measured.
        return Show(context, parse, shared, result, result.ToDocument, report.DatasetDrift || report.Columns.Any(c => c.Unmeasured is not null));
    }

    /// <summary>Writes <c>--html</c> when asked, shows <paramref name="result"/>, and gives the exit code (1: drifted with <c>--fail-on-drift</c>).</summary>
    private static int Show(IVerbContext context, ParseResult parse, SharedOptions shared, object result, Func<string> document, bool drifted)
    {
        if (parse.GetValue(shared.Html) is { } html)
        {
            var path = Path.GetFullPath(html);
            File.WriteAllText(path, document());
            context.WriteLine($"drift report written to {path} ({new FileInfo(path).Length / 1024.0:N0} KB)");
        }

        context.Display(result);
        return parse.GetValue(shared.FailOnDrift) && drifted ? DriftFound : 0;
    }

    private DataFrame? Frame(string name) => variables is not null && variables.TryGetVariable<DataFrame>(name, out var frame) ? frame : null;

    /// <summary>The options <c>compare</c> and <c>model</c> share, defined once.</summary>
    private sealed class SharedOptions
    {
        public Option<string[]> Columns { get; } = new("--columns") { Description = "The columns to compare (comma-separated or repeated); default: every numeric and categorical column of the reference.", AllowMultipleArgumentsPerToken = true };

        public Option<string[]> Method { get; } = new("--method") { Description = $"{string.Join("|", DriftMethods.Names)} for every column, or COLUMN=METHOD for one (repeatable). auto: KS or chi-square up to 1,000 reference rows, Wasserstein or Jensen–Shannon above." };

        public Option<string[]> Threshold { get; } = new("--threshold") { Description = "The threshold for every column, or COLUMN=VALUE for one (repeatable): a p-value for ks and chi2 (default 0.05, drift below it), a distance for psi, js and wasserstein (default 0.1, drift at or above it)." };

        public Option<double> DatasetThreshold { get; } = new("--dataset-threshold") { Description = "The share of drifted columns at which the data set drifts.", DefaultValueFactory = _ => DriftOptions.DefaultDatasetThreshold };

        public Option<int> Bins { get; } = new("--bins") { Description = "Reference-quantile bins for PSI and Jensen–Shannon on numeric columns.", DefaultValueFactory = _ => 10 };

        public Option<bool> FailOnDrift { get; } = new("--fail-on-drift") { Description = "Exit with code 1 when the data set drifted, or a column had too few rows to measure (a CI gate)." };

        public Option<string?> Html { get; } = new("--html") { Description = "Also write the report as a standalone HTML file (opens offline)." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Columns, Method, Threshold, DatasetThreshold, Bins, FailOnDrift, Html })
            {
                command.Options.Add(option);
            }
        }

        public DriftOptions Read(ParseResult parse)
        {
            var methods = new Dictionary<string, DriftMethod>(StringComparer.Ordinal);
            var method = DriftMethod.Auto;
            foreach (var text in parse.GetValue(Method) ?? [])
            {
                var (column, value) = Split(text);
                var parsed = DriftMethods.TryParse(value) ?? throw new ArgumentException($"--method: '{value}' is not a method; expected one of {string.Join(", ", DriftMethods.Names)}.");
                if (column is null)
                {
                    method = parsed;
                }
                else
                {
                    methods[column] = parsed;
                }
            }

            var thresholds = new Dictionary<string, double>(StringComparer.Ordinal);
            double? threshold = null;
            foreach (var text in parse.GetValue(Threshold) ?? [])
            {
                var (column, value) = Split(text);
                var parsed = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : throw new ArgumentException($"--threshold: '{value}' is not a number; expected e.g. 0.05 or delay=0.2.");
                if (column is null)
                {
                    threshold = parsed;
                }
                else
                {
                    thresholds[column] = parsed;
                }
            }

            var columns = parse.GetValue(Columns) is { Length: > 0 } names
                ? names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()
                : null;
            return new DriftOptions
            {
                Columns = columns, Method = method, ColumnMethods = methods, Threshold = threshold, ColumnThresholds = thresholds,
                DatasetThreshold = parse.GetValue(DatasetThreshold), Bins = parse.GetValue(Bins),
            }.Validate();
        }

        private static (string? Column, string Value) Split(string text)
        {
            var equals = text.LastIndexOf('=');
            return equals > 0 ? (text[..equals].Trim(), text[(equals + 1)..].Trim()) : (null, text.Trim());
        }
    }
}
