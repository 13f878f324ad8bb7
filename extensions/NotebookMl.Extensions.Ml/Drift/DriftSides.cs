using System.Runtime.ExceptionServices;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Sources;
using NotebookMl.Verbs;

namespace NotebookMl.Extensions.Ml.Drift;

/// <summary>One side of a comparison as given: a source (file, DataFrame, view or model), its query, its argument's name and its query option's.</summary>
internal sealed record DriftSide(string Source, string? Query, string Name, string QueryOption)
{
    /// <summary>
    /// Opens both sides at once (reading a CSV file, or computing a view, is one thread's work each). A feature view is
    /// computed from its source, which takes seconds: then the context shows progress, a side at a time, once both
    /// sides' names and ranges are known to be good. When both fail, the reference's error is the one thrown.
    /// </summary>
    public static (IDriftDataset Reference, IDriftDataset Current) OpenBoth(IVerbContext context, DriftSources sources, DriftSide reference, DriftSide current, CancellationToken cancellationToken)
    {
        DriftSide[] sides = [reference, current];
        foreach (var side in sides)
        {
            sources.Check(side.Source, side.Name);
        }

        var views = sides.Where(s => s.Source.StartsWith("view:", StringComparison.Ordinal)).ToArray();
        return views.Length == 0
            ? Open(sources, sides, null, cancellationToken)
            : context.WithProgress("reading " + string.Join(" and ", views.Select(v => v.Source)), progress => Open(sources, sides, progress, cancellationToken));
    }

    private static (IDriftDataset, IDriftDataset) Open(DriftSources sources, DriftSide[] sides, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var done = 0;
        progress?.Report(new ProgressUpdate($"computing {sides.Length} sides", 0));
        var opening = sides.Select(side => Task.Run(() =>
        {
            var dataset = sources.Open(side.Source, side.Query, side.Name, side.QueryOption);
            var finished = Interlocked.Increment(ref done);
            progress?.Report(new ProgressUpdate($"{side.Name} read: {dataset.Rows:N0} rows", (double)finished / sides.Length));
            return dataset;
        }, cancellationToken)).ToArray();
        try
        {
            Task.WaitAll(opening, cancellationToken);
        }
        catch
        {
            foreach (var opened in opening.Where(t => t.IsCompletedSuccessfully))
            {
                opened.Result.Dispose();
            }

            if (opening.FirstOrDefault(t => t.IsFaulted) is { } failed)
            {
                ExceptionDispatchInfo.Throw(failed.Exception!.InnerException!);
            }

            throw;
        }

        return (opening[0].Result, opening[1].Result);
    }
}
