using DuckDB.NET.Data;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Sources;

namespace NotebookMl.Core.Tests.Drift;

/// <summary>The <c>auto</c> rule and the dataset verdict over data sets DuckDB reads.</summary>
public sealed class DriftCalculatorTests
{
    [Fact]
    public void Auto_picks_chi_square_for_few_values_ks_for_many_and_distances_above_a_thousand_reference_rows()
    {
        using var small = Dataset(500, shift: 0);
        using var smallLater = Dataset(400, shift: 1);
        using var large = Dataset(3000, shift: 0);
        using var largeLater = Dataset(2000, shift: 1);

        var few = DriftCalculator.Compare(small, smallLater, new DriftOptions());
        var many = DriftCalculator.Compare(large, largeLater, new DriftOptions { DatasetThreshold = 0.75 });

        Assert.Equal([("grade", DriftMethod.ChiSquare), ("label", DriftMethod.ChiSquare), ("score", DriftMethod.Ks)], Methods(few));
        Assert.Equal([("grade", DriftMethod.JensenShannon), ("label", DriftMethod.JensenShannon), ("score", DriftMethod.Wasserstein)], Methods(many));
        Assert.All(few.Columns, c => Assert.Equal(c.Column is "score" or "grade", c.Drift));
        Assert.Equal((2 / 3.0, true), (few.DriftShare, few.DatasetDrift));
        Assert.Equal((2 / 3.0, false), (many.DriftShare, many.DatasetDrift));
        // Drifted columns first.
        Assert.Equal("label", few.Columns[^1].Column);
    }

    private static (string, DriftMethod)[] Methods(DriftReport report) => report.Columns.Select(c => (c.Column, c.Method)).OrderBy(c => c.Column, StringComparer.Ordinal).ToArray();

    /// <summary>score: numbers in [shift, shift + 1); grade: 3 values, skewed by the shift; label: 2 values, the same either way.</summary>
    private static RelationDataset Dataset(int rows, int shift)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var relation = $"""
            (SELECT ((i * 7919) % 1000) / 1000.0 + {shift} AS score, CASE WHEN i % 10 < {3 + (4 * shift)} THEN 1 WHEN i % 10 < 8 THEN 2 ELSE 3 END AS grade,
                    CASE WHEN i % 2 = 0 THEN 'yes' ELSE 'no' END AS label
             FROM range({rows}) t(i))
            """;
        return new RelationDataset(connection, relation, $"{rows} rows", materialize: true);
    }
}
