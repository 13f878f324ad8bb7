using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Cli.Tests.Registry;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Drift;

/// <summary>
/// <c>notebookml drift compare --json</c> end to end, against SciPy on the same files: every method on numeric and categorical
/// columns with missing values, the statistic and the p-value equal to a relative 1e-9 (drift_compare_oracle.py).
/// </summary>
public sealed class DriftCompareOracleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-drift-oracle-").FullName;
    private readonly Random _random = new(31);

    [Theory]
    [InlineData("ks", "chi2")]
    [InlineData("wasserstein", "js")]
    [InlineData("psi", "psi")]
    [InlineData("js", "js")]
    [InlineData("chi2", "chi2")]
    [InlineData("auto", "auto")]
    public async Task Every_statistic_and_p_value_of_the_json_equals_scipy_on_the_same_files(string numeric, string categorical)
    {
        foreach (var (rows, name) in new[] { (3000, "reference"), (2000, "current") })
        {
            var shifted = name == "current";
            var lines = Enumerable.Range(0, rows).Select(_ => string.Join(",",
                Missing(0.05) ? "" : (Normal() * 10 + (shifted ? 2 : 0)).ToString("R", CultureInfo.InvariantCulture),
                Missing(0.02) ? "" : _random.Next(0, shifted ? 5 : 4).ToString(CultureInfo.InvariantCulture),
                Missing(0.03) ? "" : $"C{(int)Math.Min(11, Math.Floor(-Math.Log(1 - _random.NextDouble()) * (shifted ? 4 : 3)))}"));
            await File.WriteAllLinesAsync(Path.Combine(_folder, $"{name}.csv"), ["x,grade,carrier", .. lines]);
        }

        var methods = new Dictionary<string, string> { ["x"] = numeric, ["grade"] = numeric, ["carrier"] = categorical };
        var cli = new RegistryCli(_folder);
        var result = await cli.RunAsync(["drift", "compare", "reference.csv", "current.csv", "--json", .. methods.SelectMany(m => new[] { "--method", $"{m.Key}={m.Value}" })]);
        var oracle = await ProcessRunner.RunAsync(RepoPaths.SystemPython,
            [RepoPaths.Of("tests", "NotebookMl.Cli.Tests", "Drift", "drift_compare_oracle.py"), Path.Combine(_folder, "reference.csv"), Path.Combine(_folder, "current.csv"), JsonSerializer.Serialize(methods), Path.Combine(_folder, "answers.json")],
            TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(oracle.ExitCode == 0, oracle.Output);
        var answers = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "answers.json")))!;
        var columns = RegistryCli.Json(result)["columns"]!.AsArray();
        Assert.Equal(3, columns.Count);
        foreach (var column in columns)
        {
            var name = (string)column!["column"]!;
            var expected = answers[name]!.AsArray();
            Close((double)expected[0]!, (double)column["statistic"]!, $"{name} ({column["method"]}) statistic");
            if (expected[1] is { } p)
            {
                Close((double)p, (double)column["p_value"]!, $"{name} ({column["method"]}) p-value");
            }
            else
            {
                Assert.Null(column["p_value"]);
            }
        }
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(expected == actual || Math.Abs(expected - actual) <= 1e-9 * Math.Abs(expected) || (expected < 1e-300 && actual < 1e-300), $"{what}: SciPy {expected:R}, NotebookMl {actual:R}");

    private bool Missing(double share) => _random.NextDouble() < share;

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
