using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using NotebookMl.Core.Drift.Statistics;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Drift;

/// <summary>
/// Every drift statistic against SciPy 1.10 (drift_oracle.py under /usr/bin/python3) to a relative 1e-9, statistic and p-value,
/// p-values deep in the tails included (compared on log p where they underflow, see <see cref="AssertClose"/>): random
/// samples of many shapes (ties, constant columns, one value, equal and unequal sizes, exact and asymptotic KS), the
/// Kolmogorov and Smirnov distributions on a grid crossing every branch SciPy takes, and the flights data.
/// </summary>
public sealed class DriftStatisticsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("drift-oracle-").FullName;
    private readonly Random _random = new(17);

    [Fact]
    public async Task Kolmogorov_smirnov_and_wasserstein_match_scipy_on_samples_of_every_shape()
    {
        var pairs = new List<(double[] A, double[] B)>();
        (int, int)[] sizes = [(1, 1), (1, 5), (3, 7), (5, 5), (10, 10), (20, 20), (37, 53), (100, 100), (150, 80), (500, 700), (1000, 1000), (2000, 3000), (4000, 4000), (9000, 10000), (10001, 50), (20000, 60), (20000, 400), (15000, 12000), (60000, 40000)];
        foreach (var (n1, n2) in sizes)
        {
            foreach (var shape in new[] { "normal", "shifted", "ties", "exponential", "far" })
            {
                pairs.Add((Sample(n1, shape, reference: true), Sample(n2, shape, reference: false)));
            }
        }

        pairs.Add(([3, 3, 3, 3], [3, 3, 3]));
        pairs.Add(([1, 1, 1, 1, 1], [1, 2, 2, 2]));
        // Deep in the tails: exact p-values of 1e-17 and 1e-59, one that underflows, and asymptotic ones of 1e-12 to 1e-48.
        foreach (var (n1, n2, overlap) in new[] { (30, 30, 0), (100, 100, 0), (100, 100, 5), (1000, 1000, 0), (400, 9000, 0) })
        {
            pairs.Add((Enumerable.Range(0, n1).Select(i => (double)i).ToArray(), Enumerable.Range(n1 - overlap, n2).Select(i => (double)i).ToArray()));
        }

        foreach (var shift in new[] { 0.1, 0.2, 0.3 })
        {
            pairs.Add((Sample(20000, "normal", true), Sample(15000, "normal", true).Select(v => v + shift).ToArray()));
        }
        pairs.AddRange(await FlightPairsAsync());

        var answers = await OracleAsync(new { ks = pairs.Select(p => new { a = p.A, b = p.B }), wasserstein = pairs.Select(p => new { a = p.A, b = p.B }) });
        for (var i = 0; i < pairs.Count; i++)
        {
            var (a, b) = (Sorted(pairs[i].A), Sorted(pairs[i].B));
            var ks = KolmogorovSmirnov.TwoSample(a, b);
            AssertClose(answers["ks"]![i]![0]!.GetValue<double>(), ks.Statistic, $"KS statistic, pair {i} ({a.Length}×{b.Length})");
            AssertClose(answers["ks"]![i]![1]!.GetValue<double>(), ks.PValue!.Value, $"KS p-value, pair {i} ({a.Length}×{b.Length})");
            AssertClose(answers["wasserstein"]![i]![0]!.GetValue<double>(), Wasserstein.Distance(a, b), $"Wasserstein, pair {i} ({a.Length}×{b.Length})");
        }
    }

    [Fact]
    public async Task The_kolmogorov_and_smirnov_distributions_match_scipy_across_every_branch()
    {
        int[] ns = [1, 2, 3, 5, 10, 50, 100, 140, 141, 200, 1000, 10000, 100000, 100001, 1000000, 2000000];
        double[] ds = [0.0005, 0.001, 0.003, 0.005, 0.01, 0.02, 0.05, 0.08, 0.1, 0.2, 0.3, 0.45, 0.5, 0.7, 0.95];
        // The grid reaches p-values far below 1e-300 (n·d² up to 1.8 million); these sit in between, from 1e-20 to 1e-290.
        (int N, double D)[] tails = [(50, 0.5), (200, 0.35), (1000, 0.2), (1000, 0.3), (5000, 0.15), (10000, 0.1), (20000, 0.12), (100000, 0.05), (1000000, 0.015)];
        var grid = ns.SelectMany(n => ds.Select(d => (N: n, D: d))).Concat(tails).ToArray();
        int[] smirnovNs = [2, 5, 10, 100, 1012, 1013, 5000, 100000, 999999, 1000001];
        double[] smirnovDs = [0.01, 0.05, 0.1, 0.3, 0.5, 0.9];
        var smirnovGrid = smirnovNs.SelectMany(n => smirnovDs.Select(d => (N: n, D: d))).Where(c => c.N * c.D * c.D >= 2.2 || c.D >= 0.5).ToArray();

        var answers = await OracleAsync(new { kstwo = grid.Select(c => new { n = c.N, d = c.D }), smirnov = smirnovGrid.Select(c => new { n = c.N, d = c.D }) });
        for (var i = 0; i < grid.Length; i++)
        {
            AssertClose(answers["kstwo"]![i]![0]!.GetValue<double>(), KolmogorovDistribution.Survival(grid[i].N, grid[i].D), $"kstwo.sf({grid[i].D}, {grid[i].N})");
        }

        for (var i = 0; i < smirnovGrid.Length; i++)
        {
            AssertClose(answers["smirnov"]![i]![0]!.GetValue<double>(), SmirnovDistribution.Survival(smirnovGrid[i].N, smirnovGrid[i].D), $"smirnov({smirnovGrid[i].N}, {smirnovGrid[i].D})");
        }
    }

    [Fact]
    public async Task Chi_square_jensen_shannon_and_psi_match_scipy_and_numpy_on_counts_and_bins()
    {
        var tables = new List<(double[] R, double[] C)>();
        foreach (var k in new[] { 1, 2, 2, 3, 5, 10, 60 })
        {
            for (var repeat = 0; repeat < 3; repeat++)
            {
                var r = Enumerable.Range(0, k).Select(_ => (double)_random.Next(0, 500)).ToArray();
                var c = r.Select(v => Math.Max(0, Math.Round(v * (0.5 + _random.NextDouble()) + _random.Next(-20, 20)))).ToArray();
                // A category present on one side only, on each side.
                if (k > 2 && repeat > 0)
                {
                    (r[0], c[1]) = (0, 0);
                }

                for (var j = 0; j < k; j++)
                {
                    if (r[j] + c[j] == 0)
                    {
                        r[j] = 1;
                    }
                }

                tables.Add((r, c));
            }
        }

        tables.Add(([5, 0], [0, 5]));
        tables.Add(([1000, 1], [999, 2]));
        // χ² deep in the tail: a p-value of about 1e-45, and two that underflow.
        tables.Add(([300, 100], [100, 300]));
        tables.Add(([900, 300, 100, 50, 10], [50, 100, 300, 900, 400]));
        tables.Add(([10000, 10], [10, 10000]));
        tables.Add(await FlightOriginsAsync());

        var psiPairs = new List<(double[] A, double[] B, int Bins)>();
        foreach (var shape in new[] { "normal", "shifted", "ties", "exponential", "far" })
        {
            psiPairs.Add((Sample(3000, shape, true), Sample(2000, shape, false), 10));
            psiPairs.Add((Sample(500, shape, true), Sample(800, shape, false), 5));
        }

        psiPairs.Add(([2, 2, 2, 2], [1, 2, 3, 2, 2], 10));
        psiPairs.Add(([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [-5, 0, 50, 100], 10));

        var answers = await OracleAsync(new
        {
            chi2 = tables.Select(t => new { r = t.R, c = t.C }),
            js = tables.Select(t => new { p = t.R, q = t.C }),
            psi = psiPairs.Select(p => new { a = p.A, b = p.B, bins = p.Bins }),
        });
        for (var i = 0; i < tables.Count; i++)
        {
            var chi = ChiSquare.Contingency(tables[i].R, tables[i].C);
            AssertClose(answers["chi2"]![i]![0]!.GetValue<double>(), chi.Statistic, $"chi-square statistic, table {i} (k = {tables[i].R.Length})");
            AssertClose(answers["chi2"]![i]![1]!.GetValue<double>(), chi.PValue!.Value, $"chi-square p-value, table {i} (k = {tables[i].R.Length})");
            AssertClose(answers["js"]![i]![0]!.GetValue<double>(), JensenShannon.Distance(tables[i].R, tables[i].C), $"Jensen–Shannon, table {i}");
        }

        for (var i = 0; i < psiPairs.Count; i++)
        {
            var reference = Core.Drift.ColumnDistribution.Numeric("x", Sorted(psiPairs[i].A), 0);
            var bins = Core.Drift.DriftBins.For(reference, psiPairs[i].Bins);
            var psi = PopulationStability.Index(bins.Counts(reference), bins.Counts(Core.Drift.ColumnDistribution.Numeric("x", Sorted(psiPairs[i].B), 0)));
            AssertClose(answers["psi"]![i]![0]!.GetValue<double>(), psi, $"PSI, pair {i}");
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Equal to a relative 1e-9, down to the smallest p-values: below 1e-300, where SciPy's doubles underflow toward 0 and
    /// lose their digits, both must be there (compared on log p, to 1e-9 of it, when both are still above 0).
    /// </summary>
    internal static void AssertClose(double expected, double actual, string what)
    {
        const double Underflow = 1e-300;
        var close = expected >= Underflow || actual >= Underflow
            ? Math.Abs(expected - actual) <= 1e-9 * Math.Abs(expected)
            : expected == 0 || actual == 0 ? expected < Underflow && actual < Underflow : Math.Abs(Math.Log(expected) - Math.Log(actual)) <= 1e-9 * Math.Abs(Math.Log(expected));
        Assert.True(close, $"{what}: SciPy {expected:R}, NotebookMl {actual:R}");
    }

    private static double[] Sorted(double[] values)
    {
        var copy = (double[])values.Clone();
        Array.Sort(copy);
        return copy;
    }

    private double[] Sample(int n, string shape, bool reference) => Enumerable.Range(0, n).Select(_ => shape switch
    {
        "normal" => Normal(),
        "shifted" => Normal() + (reference ? 0 : 0.15),
        "ties" => _random.Next(0, reference ? 5 : 6),
        "exponential" => reference ? -Math.Log(1 - _random.NextDouble()) : _random.NextDouble() * 2,
        _ => Normal() * (reference ? 1 : 3) + (reference ? 0 : 2),
    }).ToArray();

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private static async Task<List<(double[] A, double[] B)>> FlightPairsAsync()
    {
        var flights = RepoPaths.Of("datasets", "flights-3m.parquet");
        var pairs = new List<(double[], double[])>();
        foreach (var (column, size) in new[] { ("delay", 3000), ("delay", 40000), ("distance", 5000) })
        {
            double[] Read(int month) => Query($"SELECT CAST({column} AS DOUBLE) FROM '{flights}' WHERE month(date) = {month} AND hash(date, origin, delay) % 97 = 3 LIMIT {size}")
                .Select(r => Convert.ToDouble(r[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            pairs.Add((Read(1), Read(6)));
        }

        return await Task.FromResult(pairs);
    }

    private static async Task<(double[] R, double[] C)> FlightOriginsAsync()
    {
        var flights = RepoPaths.Of("datasets", "flights-3m.parquet");
        var rows = Query($"""
            SELECT origin, count(*) FILTER (WHERE month(date) = 1), count(*) FILTER (WHERE month(date) = 6)
            FROM '{flights}' WHERE hash(date, origin, delay) % 50 = 1 AND month(date) IN (1, 6) GROUP BY origin ORDER BY origin
            """);
        return await Task.FromResult((rows.Select(r => Convert.ToDouble(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray(), rows.Select(r => Convert.ToDouble(r[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray()));
    }

    private static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return Core.Predictions.PredictionLogFiles.Rows(connection, sql);
    }

    private async Task<JsonNode> OracleAsync(object cases)
    {
        var input = Path.Combine(_folder, $"cases-{Guid.NewGuid():N}.json");
        var output = input.Replace("cases-", "answers-", StringComparison.Ordinal);
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(cases));
        var run = await ProcessRunner.RunAsync(RepoPaths.SystemPython, [RepoPaths.Of("tests", "NotebookMl.Core.Tests", "Drift", "drift_oracle.py"), input, output], TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonNode.Parse(await File.ReadAllTextAsync(output))!;
    }
}
