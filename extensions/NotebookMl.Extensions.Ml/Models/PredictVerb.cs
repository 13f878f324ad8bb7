using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Core.Registry;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Verbs;
using NotebookMl.Training.Registration;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>#!predict</c> / <c>notebookml predict MODEL --input FILE --out FILE</c>: batch prediction with a registered model
/// (<c>models:/NAME@champion</c>, <c>models:/NAME/3</c>, <c>runs:/RUN/model</c>) in-process: the input is streamed in
/// chunks through ONNX Runtime and written chunk by chunk (Parquet, CSV or Arrow in and out), so memory stays flat;
/// each output row is the input row with the model's outputs beside it. Inputs the file lacks that are features of the
/// model's feature views are looked up in the online store by the rows' entity keys (<see cref="Core.Features.Online.OnlineFeatureJoin"/>).
/// With <c>--endpoint URL</c> the rows go to a running endpoint instead, a batch per request (<see cref="PredictOnEndpoint"/>).
/// </summary>
public sealed class PredictVerb(Func<ModelRegistry>? registry = null) : IVerb
{
    private readonly Func<ModelRegistry> _registry = registry ?? ModelRegistry.OpenCurrent;

    /// <inheritdoc/>
    public string Name => "predict";

    /// <inheritdoc/>
    public string Description => "Batch prediction with a registered model: a file in, the same rows with the model's outputs out, streamed in chunks; or the rows sent to a running endpoint.";

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> RenamedOptions { get; } = new Dictionary<string, string> { ["path"] = "--out" };

    /// <inheritdoc/>
    public Command CreateCommand(IVerbContext context)
    {
        var model = new Argument<string>("model") { Description = "models:/NAME@ALIAS, models:/NAME/VERSION, runs:/RUN_ID/model, or NAME, NAME/VERSION, NAME@ALIAS." };
        var input = new Option<string>("--input") { Description = "The rows: a Parquet, CSV or Arrow file.", Required = true };
        var query = new Option<string?>("--query") { Description = "DuckDB SQL over the input, which is the relation 'source' (derive the model's inputs here)." };
        var output = new Option<string?>("--out") { Description = "Where to write the rows with the predictions: .parquet, .csv or .arrow (optional with --endpoint)." };
        var outputs = new Option<string?>("--outputs") { Description = "The model outputs to write, comma-separated (default: all)." };
        var chunkRows = new Option<int>("--chunk-rows") { Description = "Rows read, predicted and written at a time.", DefaultValueFactory = _ => 100_000 };
        var endpoint = new Option<string?>("--endpoint") { Description = "Send the rows to this running endpoint (http://HOST:PORT) over the Open Inference Protocol, as traffic it answers, logs and monitors; MODEL is then NAME or NAME/VERSION there." };
        var batchRows = new Option<int>("--batch-rows") { Description = "With --endpoint: rows per request.", DefaultValueFactory = _ => 256 };
        var tokenFile = new Option<string?>("--token-file") { Description = "With --endpoint: a file with the endpoint's bearer token (for --require-token-for-inference)." };
        var command = new Command(Name, Description) { model, input, query, output, outputs, chunkRows, endpoint, batchRows, tokenFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var rowsPerChunk = parse.GetValue(chunkRows) is > 0 and var n ? n : throw new ArgumentException($"--chunk-rows: {parse.GetValue(chunkRows)}; expected a positive number of rows.");
            var path = Path.GetFullPath(parse.GetValue(input)!);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--input: {path} does not exist.");
            }

            if (parse.GetValue(endpoint) is { } url)
            {
                var batch = parse.GetValue(batchRows) is > 0 and var b ? b : throw new ArgumentException($"--batch-rows: {parse.GetValue(batchRows)}; expected a positive number of rows.");
                var token = await TokenFile.ReadAsync(parse.GetValue(tokenFile), cancellationToken);
                var target = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : throw new ArgumentException($"--endpoint: '{url}' is not an http:// or https:// address.");
                context.Display(await PredictOnEndpoint.RunAsync(context, new PredictOnEndpoint(target, parse.GetValue(model)!, token, batch), path, parse.GetValue(query), parse.GetValue(output), cancellationToken));
                return 0;
            }

            var outputPath = parse.GetValue(output) ?? throw new ArgumentException("--out: name the file for the predictions (.parquet, .csv or .arrow), or send the rows to a running endpoint with --endpoint.");

            var wanted = parse.GetValue(outputs)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            using var writer = new DataFileWriter(outputPath);
            using var loaded = Load(parse.GetValue(model)!);
            // Inputs the file lacks come from the online store, through the feature views the model was trained on.
            var views = loaded.Version?.FeatureViews.Keys.ToArray() ?? [];
            using var store = views.Length > 0 ? Core.Features.FeatureStore.ForExistingWorkspace() : null;
            var inputs = loaded.Signature.Inputs.Select(i => i.Name).ToArray();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            void Predict(Action<long, long> progress)
            {
                long total = 0;
                foreach (var read in DataFiles.ReadChunks(path, parse.GetValue(query), rowsPerChunk, rows => total = rows))
                {
                    var chunk = store is null ? read : Core.Features.Online.OnlineFeatureJoin.Join(store, read, inputs, views);
                    var predicted = loaded.Predict(chunk, wanted);
                    foreach (var column in predicted.Columns)
                    {
                        var name = chunk.Columns.Any(c => c.Name == column.Name) ? "prediction_" + column.Name : column.Name;
                        column.SetName(name);
                        chunk.Columns.Add(column);
                    }

                    writer.Append(chunk);
                    progress(writer.Rows, total);
                }

                writer.Complete();
            }

            context.WithProgress("predicting", progress =>
            {
                Predict((done, total) => progress.Report(new ProgressUpdate($"{done:N0} of {total:N0} rows", total == 0 ? 1 : (double)done / total)));
                return 0;
            });

            var seconds = clock.Elapsed.TotalSeconds;
            context.Display(new TableResult(
                [new Table(["model", "rows", "written to", "seconds", "rows/s"],
                    [[loaded.Uri, writer.Rows.ToString("N0", CultureInfo.InvariantCulture), writer.Path, seconds.ToString("0.00", CultureInfo.InvariantCulture), (writer.Rows / Math.Max(seconds, 1e-9)).ToString("N0", CultureInfo.InvariantCulture)]]) { Title = "Batch prediction" }],
                new { model = loaded.Uri, rows = writer.Rows, output = writer.Path, seconds }));
            return 0;
        });
        return command;
    }

    private LoadedModel Load(string text)
    {
        if (text.StartsWith("runs:/", StringComparison.Ordinal))
        {
            return ModelRegistry.Load(text);
        }

        var registry = _registry();
        var version = registry.Resolve(text);
        return LoadedModel.FromOnnx(registry.ReadOnnx(version), version.Uri, version);
    }
}
