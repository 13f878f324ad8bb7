using Microsoft.Data.Analysis;
using NotebookMl.Core.Options;

namespace NotebookMl.Training.Tabular;

/// <summary>Row indices of the training and test rows.</summary>
public sealed record DataSplit(int[] Train, int[] Test)
{
    public static DataSplit Of(DataFrame frame, double[] label, TrainingOptions options)
    {
        var rows = (int)frame.Rows.Count;
        if (options.TestFraction is <= 0 or >= 1)
        {
            throw new InvalidOptionException(nameof(TrainingOptions.TestFraction), $"expected a number between 0 and 1, got {options.TestFraction}.");
        }

        var random = new Random(options.Seed);
        switch (options.Split)
        {
            case SplitKind.Random:
                return Cut(Shuffled(Enumerable.Range(0, rows), random), options.TestFraction);
            case SplitKind.Stratified:
                var parts = Enumerable.Range(0, rows).GroupBy(i => label[i]).Select(g => Cut(Shuffled(g, random), options.TestFraction)).ToArray();
                return new DataSplit([.. parts.SelectMany(p => p.Train).Order()], [.. parts.SelectMany(p => p.Test).Order()]);
            default:
                var name = options.TimeColumn ?? throw new InvalidOptionException(nameof(TrainingOptions.TimeColumn), "a time split needs the time column's name.");
                if (frame.Columns.IndexOf(name) < 0 || frame.Columns[name] is not PrimitiveDataFrameColumn<DateTime> times)
                {
                    throw new InvalidOptionException(nameof(TrainingOptions.TimeColumn), $"'{name}' is not a time column of the data.");
                }

                var order = Enumerable.Range(0, rows).OrderBy(i => times[i] ?? DateTime.MinValue).ToArray();
                if (options.TestFrom is { } from)
                {
                    return new DataSplit([.. order.Where(i => (times[i] ?? DateTime.MinValue) < from).Order()], [.. order.Where(i => (times[i] ?? DateTime.MinValue) >= from).Order()]);
                }

                var cut = (int)Math.Round(rows * (1 - options.TestFraction));
                return new DataSplit([.. order[..cut].Order()], [.. order[cut..].Order()]);
        }
    }

    private static int[] Shuffled(IEnumerable<int> rows, Random random)
    {
        var array = rows.ToArray();
        random.Shuffle(array);
        return array;
    }

    private static DataSplit Cut(int[] shuffled, double testFraction)
    {
        var test = (int)Math.Round(shuffled.Length * testFraction);
        return new DataSplit([.. shuffled[test..].Order()], [.. shuffled[..test].Order()]);
    }
}
