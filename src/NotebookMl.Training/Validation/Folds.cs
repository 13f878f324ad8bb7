using NotebookMl.Core.Options;

namespace NotebookMl.Training.Validation;

/// <summary>
/// The folds of scikit-learn's splitters (1.2), index for index, over rows in a given order: <c>KFold</c>,
/// <c>StratifiedKFold(shuffle=False)</c>, <c>GroupKFold</c> and <c>TimeSeriesSplit(gap=…)</c>. Positions are 0 … n−1 in
/// that order. A cut the rows cannot take (a class or a group count below the folds, too few rows) is an
/// <see cref="InvalidOptionException"/> naming the option (Cv, GroupColumn, Gap), before anything is fitted.
/// </summary>
public static class Folds
{
    /// <summary><c>KFold(k)</c>: consecutive blocks; the first n mod k blocks one row larger.</summary>
    public static Fold[] KFold(int rows, int k, string option = "Cv")
    {
        if (k > rows)
        {
            throw new InvalidOptionException(option, $"{k} folds need at least {k} training rows; there are {rows}.");
        }

        var folds = new Fold[k];
        var start = 0;
        for (var i = 0; i < k; i++)
        {
            var size = (rows / k) + (i < rows % k ? 1 : 0);
            folds[i] = Cut(rows, Enumerable.Range(start, size).ToArray());
            start += size;
        }

        return folds;
    }

    /// <summary>
    /// <c>StratifiedKFold(k, shuffle=False)</c>: classes numbered by first appearance, each fold's count of a class dealt
    /// round robin over the sorted classes, and each class's rows given to folds in blocks, in row order. Every class needs
    /// at least k rows (scikit-learn only warns; a fold without a class cannot score it).
    /// </summary>
    public static Fold[] Stratified(IReadOnlyList<double> label, int k, string option = "Cv")
    {
        var classes = new Dictionary<double, int>();
        var encoded = label.Select(v => classes.TryGetValue(v, out var c) ? c : classes[v] = classes.Count).ToArray();
        var counts = new int[classes.Count];
        foreach (var c in encoded)
        {
            counts[c]++;
        }

        foreach (var (value, c) in classes.Where(c => counts[c.Value] < k))
        {
            throw new InvalidOptionException(option, $"the label value {value} has {counts[c]} training rows, fewer than the {k} folds; use fewer folds.");
        }

        // allocation[i][c]: rows of class c in fold i, from every k-th element of the sorted classes starting at i.
        var sorted = encoded.Order().ToArray();
        var allocation = new int[k, classes.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            allocation[i % k, sorted[i]]++;
        }

        var fold = new int[encoded.Length];
        var next = new int[classes.Count];
        var used = new int[classes.Count];
        for (var row = 0; row < encoded.Length; row++)
        {
            var c = encoded[row];
            while (used[c] == allocation[next[c], c])
            {
                (next[c], used[c]) = (next[c] + 1, 0);
            }

            fold[row] = next[c];
            used[c]++;
        }

        return ByFold(fold, k);
    }

    /// <summary>
    /// <c>GroupKFold(k)</c>: groups (numbered in sorted order) by size, largest first as NumPy's argsort orders them,
    /// each to the fold with the fewest rows so far (the first of equals).
    /// </summary>
    public static Fold[] Group<T>(IReadOnlyList<T> groups, int k, IComparer<T> order, string option = "GroupColumn")
        where T : notnull
    {
        var unique = groups.Distinct().Order(order).ToArray();
        if (k > unique.Length)
        {
            throw new InvalidOptionException(option, $"{k} folds need at least {k} groups; the training rows have {unique.Length}.");
        }

        var number = unique.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i);
        var inverse = groups.Select(g => number[g]).ToArray();
        var sizes = new long[unique.Length];
        foreach (var g in inverse)
        {
            sizes[g]++;
        }

        var indices = NumpyArgsort.Quicksort(sizes);
        Array.Reverse(indices);
        var perFold = new long[k];
        var groupFold = new int[unique.Length];
        foreach (var g in indices)
        {
            var lightest = 0;
            for (var f = 1; f < k; f++)
            {
                if (perFold[f] < perFold[lightest])
                {
                    lightest = f;
                }
            }

            perFold[lightest] += sizes[g];
            groupFold[g] = lightest;
        }

        return ByFold(inverse.Select(g => groupFold[g]).ToArray(), k);
    }

    /// <summary>
    /// <c>TimeSeriesSplit(k, gap)</c> over rows already in time order: k validation blocks of n div (k+1) rows at the end,
    /// each trained on every row before it but the <paramref name="gap"/> rows just before it.
    /// </summary>
    public static Fold[] TimeSeries(int rows, int k, int gap, string option = "Cv")
    {
        var size = rows / (k + 1);
        if (k + 1 > rows || rows - gap - (size * k) <= 0 || size == 0)
        {
            throw new InvalidOptionException(option, $"{k} time folds with a gap of {gap} rows need more than {(k + 1) + gap} training rows; there are {rows}.");
        }

        return Enumerable.Range(0, k).Select(i =>
        {
            var start = rows - ((k - i) * size);
            return new Fold(Enumerable.Range(0, Math.Max(0, start - gap)).ToArray(), Enumerable.Range(start, size).ToArray());
        }).ToArray();
    }

    /// <summary>
    /// <see cref="TimeSeries(int, int, int, string)"/> over rows with these (ascending) <paramref name="times"/>, with the gap a
    /// span of time: a fold trains on the rows before its block whose time is at least <paramref name="gap"/> before the
    /// block's first time.
    /// </summary>
    public static Fold[] TimeSeries(IReadOnlyList<DateTime> times, int k, TimeSpan gap, string option = "Gap")
    {
        var folds = TimeSeries(times.Count, k, 0, "Cv");
        return folds.Select((f, i) =>
        {
            var last = times[f.Validation[0]] - gap;
            var train = f.Train.Where(r => times[r] <= last).ToArray();
            return train.Length > 0 ? f with { Train = train } : throw new InvalidOptionException(option, $"a gap of {gap} leaves time fold {i + 1} no training rows; give a shorter gap or fewer folds.");
        }).ToArray();
    }

    private static Fold[] ByFold(int[] fold, int k) =>
        Enumerable.Range(0, k).Select(f => Cut(fold.Length, Enumerable.Range(0, fold.Length).Where(r => fold[r] == f).ToArray())).ToArray();

    private static Fold Cut(int rows, int[] validation)
    {
        var isValidation = new bool[rows];
        foreach (var r in validation)
        {
            isValidation[r] = true;
        }

        return new Fold(Enumerable.Range(0, rows).Where(r => !isValidation[r]).ToArray(), validation);
    }
}
