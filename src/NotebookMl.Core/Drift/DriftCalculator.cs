using NotebookMl.Core.Options;

namespace NotebookMl.Core.Drift;

/// <summary>Compares two data sets column by column, in parallel, into a <see cref="DriftReport"/>.</summary>
public static class DriftCalculator
{
    /// <summary>
    /// The drift of <paramref name="current"/> from <paramref name="reference"/>. The columns are
    /// <see cref="DriftOptions.Columns"/>, or every numeric and categorical column of the reference; each must be in the
    /// current data with the same kind (otherwise an <see cref="InvalidDataException"/> names it). <paramref name="progress"/>
    /// hears, on the comparing thread, how many columns are done of how many.
    /// </summary>
    public static DriftReport Compare(IDriftDataset reference, IDriftDataset current, DriftOptions options, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var pairs = Pairs(reference, current, options);
        var results = new ColumnDrift[pairs.Count];
        var done = 0;
        try
        {
            Parallel.For(0, pairs.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var (left, right) = pairs[i];
                var categorical = left.Kind == DriftColumnKind.Categorical;
                results[i] = ColumnComparer.Compare(reference.Read(left, categorical), current.Read(right, categorical), options);
                progress?.Report((Interlocked.Increment(ref done), pairs.Count));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A column's error (a bad option for it, an unreadable value) is the user's, not the parallel loop's.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        var ordered = results
            .OrderByDescending(r => r.Drift)
            .ThenByDescending(r => Severity(r))
            .ThenBy(r => r.Column, StringComparer.Ordinal)
            .ToArray();
        var share = ordered.Length == 0 ? 0 : ordered.Count(r => r.Drift) / (double)ordered.Length;
        return new DriftReport(reference.Description, current.Description, ordered, share, options.DatasetThreshold);
    }

    /// <summary>How far past (or short of) its threshold a column is, comparable across methods: statistic / threshold, or threshold / p-value.</summary>
    public static double Severity(ColumnDrift column) => column switch
    {
        { Statistic: null } => 0,
        { PValue: { } p } => column.Threshold / Math.Max(p, 1e-300),
        { Statistic: { } s } => s / column.Threshold,
    };

    private static List<(DriftColumnInfo Reference, DriftColumnInfo Current)> Pairs(IDriftDataset reference, IDriftDataset current, DriftOptions options)
    {
        var referenceColumns = reference.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var currentColumns = current.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var names = options.Columns ?? reference.Columns.Where(c => c.Kind is DriftColumnKind.Numeric or DriftColumnKind.Categorical).Select(c => c.Name).ToArray();
        if (names.Count == 0)
        {
            throw new InvalidDataException($"{reference.Description} has no numeric or categorical column to compare; its columns are: {string.Join(", ", reference.Columns.Select(c => $"{c.Name} ({c.Type})"))}.");
        }

        var pairs = new List<(DriftColumnInfo, DriftColumnInfo)>();
        foreach (var name in names)
        {
            if (!referenceColumns.TryGetValue(name, out var left))
            {
                throw new InvalidOptionException(nameof(DriftOptions.Columns), $"column '{name}' is not in the reference {reference.Description}; its columns are: {string.Join(", ", reference.Columns.Select(c => c.Name))}.");
            }

            if (!currentColumns.TryGetValue(name, out var right))
            {
                throw new InvalidDataException($"column '{name}' is in the reference but missing from the current data {current.Description}; its columns are: {string.Join(", ", current.Columns.Select(c => c.Name))}.");
            }

            if (left.Kind == DriftColumnKind.Other || right.Kind == DriftColumnKind.Other)
            {
                throw new InvalidDataException($"column '{name}' holds {(left.Kind == DriftColumnKind.Other ? left.Type : right.Type)}; drift compares numbers, text, booleans and times.");
            }

            if (Comparable(left.Kind) != Comparable(right.Kind))
            {
                throw new InvalidDataException($"column '{name}' changed type: {Describe(left)} in the reference, {Describe(right)} in the current data {current.Description}.");
            }

            if (left.Kind == DriftColumnKind.Categorical && options.MethodFor(name) is DriftMethod.Ks or DriftMethod.Wasserstein)
            {
                throw new InvalidOptionException(nameof(DriftOptions.Method), $"column '{name}' is categorical; {DriftMethods.Name(options.MethodFor(name))} needs numbers (use psi, chi2 or js).");
            }

            pairs.Add((left, right));
        }

        var compared = pairs.Select(p => p.Item1.Name).ToHashSet(StringComparer.Ordinal);
        if (options.ColumnMethods.Keys.FirstOrDefault(c => !compared.Contains(c)) is { } method)
        {
            throw new InvalidOptionException(nameof(DriftOptions.Method), $"column '{method}' is not compared; compared columns are: {string.Join(", ", compared)}.");
        }

        if (options.ColumnThresholds.Keys.FirstOrDefault(c => !compared.Contains(c)) is { } threshold)
        {
            throw new InvalidOptionException(nameof(DriftOptions.Threshold), $"column '{threshold}' is not compared; compared columns are: {string.Join(", ", compared)}.");
        }

        return pairs;
    }

    private static DriftColumnKind Comparable(DriftColumnKind kind) => kind == DriftColumnKind.Temporal ? DriftColumnKind.Numeric : kind;

    private static string Describe(DriftColumnInfo column) => $"{column.Kind.ToString().ToLowerInvariant()} ({column.Type})";
}
