using System.Globalization;
using NotebookMl.Core.Data;
using NotebookMl.Core.Predictions;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>predict NAME --input FILE --endpoint URL</c>: a file's rows sent to a running endpoint, <paramref name="batchRows"/> per
/// request, as a client's traffic (the endpoint answers, logs and monitors them); the answers are written beside the rows
/// when <c>--out</c> is given.
/// </summary>
/// <param name="endpoint">The endpoint's address.</param>
/// <param name="model">NAME or NAME/VERSION (also as models:/…).</param>
/// <param name="token">The endpoint's bearer token, or null.</param>
/// <param name="batchRows">Rows per request.</param>
internal sealed class PredictOnEndpoint(Uri endpoint, string model, string? token, int batchRows)
{
    /// <summary>Sends the rows of <paramref name="path"/> (through <paramref name="query"/>), with progress, and says what was sent.</summary>
    public static async Task<TableResult> RunAsync(IVerbContext context, PredictOnEndpoint job, string path, string? query, string? output, CancellationToken cancellationToken)
    {
        var (name, version) = job.Target();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var client = new EndpointClient(http, job.Sent(), name, version, job.Token);
        var inputs = await client.InputsAsync(cancellationToken);
        using var writer = output is null ? null : new DataFileWriter(output);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (rows, requests) = (0L, 0L);
        // The requests go one after another (the order of the rows is the order of the traffic); progress shows them as they go.
        context.WithProgress("sending rows", progress =>
        {
            long total = 0;
            foreach (var chunk in DataFiles.ReadChunks(path, query, job.BatchRows, all => total = all))
            {
                var answers = client.InferAsync(chunk, inputs, cancellationToken).GetAwaiter().GetResult();
                foreach (var column in answers)
                {
                    column.SetName(chunk.Columns.Any(c => c.Name == column.Name) ? "prediction_" + column.Name : column.Name);
                    chunk.Columns.Add(column);
                }

                writer?.Append(chunk);
                (rows, requests) = (rows + chunk.Rows.Count, requests + 1);
                progress.Report(new ProgressUpdate($"{rows:N0} of {total:N0} rows", total == 0 ? 1 : (double)rows / total));
            }

            writer?.Complete();
            return 0;
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var target = $"{name}{(version is { } v ? $"/{v}" : "")} at {job.Sent()}";
        return new TableResult(
            [new Table(["model", "rows", "requests", "written to", "seconds", "rows/s"],
                [[target, rows.ToString("N0", CultureInfo.InvariantCulture), requests.ToString("N0", CultureInfo.InvariantCulture), writer?.Path ?? "-", seconds.ToString("0.00", CultureInfo.InvariantCulture), (rows / Math.Max(seconds, 1e-9)).ToString("N0", CultureInfo.InvariantCulture)]]) { Title = "Sent to the endpoint" }],
            new { model = name, version, endpoint = job.Sent().ToString(), rows, requests, output = writer?.Path, seconds });
    }

    private string? Token => token;

    private int BatchRows => batchRows;

    private Uri Sent() => endpoint;

    private (string Name, int? Version) Target()
    {
        var text = model.StartsWith("models:/", StringComparison.Ordinal) ? model["models:/".Length..] : model;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (text.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"model '{model}': an endpoint serves its own alias's version by default; give NAME, or NAME/VERSION for a version by number.");
        }

        return slash < 0 ? (text, null)
            : int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? (text[..slash], number)
            : throw new ArgumentException($"model '{model}': expected NAME or NAME/VERSION.");
    }
}
