using System.Globalization;
using DuckDB.NET.Data;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Sources;
using NotebookMl.Core.Drift.Reference;

namespace NotebookMl.Core.Tests.Drift;

/// <summary>
/// Drift against a version's saved reference statistics, against the same computation from the raw training rows: PSI,
/// chi-square and Jensen–Shannon are exact (the decile bins' counts and the categories were kept); Kolmogorov–Smirnov and
/// Wasserstein read the reference's CDF as straight lines through its 101 quantiles, which is never more than 1 % (and one
/// row) away from the raw one, so the KS statistic is within 0.01 + 1/n and the normalized Wasserstein distance within
/// (0.01 + 1/n) · (max − min) / σ of the raw figure (the bounds the README states).
/// </summary>
public sealed class SavedReferenceTests
{
    private readonly Random _random = new(23);

    [Theory]
    [InlineData("normal")]
    [InlineData("exponential")]
    [InlineData("ties")]
    [InlineData("far")]
    public void Binned_statistics_are_exact_and_sorted_ones_are_within_the_stated_bound(string shape)
    {
        var (referenceValues, currentValues) = (Sample(5000, shape, reference: true), Sample(3000, shape, reference: false));
        string[] airports = [.. Enumerable.Range(0, 40).Select(i => $"A{i:00}")];
        var referenceCategories = Enumerable.Range(0, 5000).Select(_ => airports[(int)Math.Min(39, Math.Floor(-Math.Log(1 - _random.NextDouble()) * 8))]).ToArray();
        var currentCategories = Enumerable.Range(0, 3000).Select(_ => airports[_random.Next(0, 40)]).ToArray();
        var statistics = new ReferenceStatistics(5000, [ReferenceProfiler.Numeric("x", referenceValues), ReferenceProfiler.Categorical("airport", referenceCategories)], []);
        using var saved = new ProfileDataset(statistics, "saved");
        using var raw = Dataset(referenceValues, referenceCategories);
        using var current = Dataset(currentValues, currentCategories);

        foreach (var method in new[] { DriftMethod.Psi, DriftMethod.ChiSquare, DriftMethod.JensenShannon })
        {
            var fromSaved = DriftCalculator.Compare(saved, current, new DriftOptions { Method = method });
            var fromRaw = DriftCalculator.Compare(raw, current, new DriftOptions { Method = method });
            foreach (var column in new[] { "x", "airport" })
            {
                var (s, r) = (fromSaved.Columns.Single(c => c.Column == column), fromRaw.Columns.Single(c => c.Column == column));
                DriftStatisticsTests.AssertClose(r.Statistic!.Value, s.Statistic!.Value, $"{method} of {column} ({shape})");
                if (r.PValue is { } p)
                {
                    DriftStatisticsTests.AssertClose(p, s.PValue!.Value, $"{method} p-value of {column} ({shape})");
                }
            }
        }

        var sorted = referenceValues.Order().ToArray();
        var n = sorted.Length;
        var sigma = Math.Max(0.001, Math.Sqrt(sorted.Select(v => (v - sorted.Average()) * (v - sorted.Average())).Average()));
        var ks = (Saved: Statistic(saved, current, DriftMethod.Ks), Raw: Statistic(raw, current, DriftMethod.Ks));
        var wasserstein = (Saved: Statistic(saved, current, DriftMethod.Wasserstein), Raw: Statistic(raw, current, DriftMethod.Wasserstein));
        Assert.True(Math.Abs(ks.Saved - ks.Raw) <= 0.01 + (1.0 / n), $"KS ({shape}): saved {ks.Saved:R}, raw {ks.Raw:R}");
        Assert.True(Math.Abs(wasserstein.Saved - wasserstein.Raw) <= (0.01 + (1.0 / n)) * (sorted[^1] - sorted[0]) / sigma,
            $"Wasserstein ({shape}): saved {wasserstein.Saved:R}, raw {wasserstein.Raw:R}");
    }

    private static double Statistic(IDriftDataset reference, IDriftDataset current, DriftMethod method) =>
        DriftCalculator.Compare(reference, current, new DriftOptions { Method = method, Columns = ["x"] }).Columns.Single().Statistic!.Value;

    private static RelationDataset Dataset(double[] values, string[] categories)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var rows = string.Join(", ", values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"({v:R}, '{categories[i]}')")));
        return new RelationDataset(connection, $"(SELECT * FROM (VALUES {rows}) AS t(x, airport))", $"{values.Length} rows", materialize: true);
    }

    private double[] Sample(int n, string shape, bool reference) => Enumerable.Range(0, n).Select(_ => shape switch
    {
        "normal" => Normal() + (reference ? 0 : 0.2),
        "exponential" => -Math.Log(1 - _random.NextDouble()) * (reference ? 1 : 1.3),
        "ties" => _random.Next(0, reference ? 8 : 9),
        _ => Normal() * (reference ? 1 : 3) + (reference ? 0 : 2),
    }).ToArray();

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
