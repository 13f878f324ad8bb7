using System.Security.Cryptography;
using Apache.Arrow;
using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;

namespace NotebookMl.Core.Datasets;

/// <summary>
/// The real datasets committed in <c>datasets/</c> (provenance, license and schema in its README),
/// loaded as a <see cref="DataFrame"/> or Arrow record batches. The folder is <c>$NOTEBOOKML_DATASETS</c>,
/// else the nearest <c>datasets/</c> holding the file at or above the working directory or this assembly.
/// </summary>
public sealed record SampleDataset(string Name, string FileName, string GitBlobSha1, string Description)
{
    /// <summary>3,000,000 US domestic flights, 2001-01-01..2001-07-01: date, delay, distance, origin, destination (vega-datasets 3.2.1).</summary>
    public static SampleDataset Flights3m { get; } = new(
        "flights-3m", "flights-3m.parquet", "9c4e0b480a1a60954a7e5c6bcc43e1c91a73caaa", "3,000,000 US domestic flights, 2001-01-01..2001-07-01");

    /// <summary>Daily Seattle weather 2012–2015: date, precipitation, temp_max, temp_min, wind, weather (vega-datasets 3.2.1).</summary>
    public static SampleDataset SeattleWeather { get; } = new(
        "seattle-weather", "seattle-weather.csv", "0f38b53bdc1c42c5e5d484f33b9d4d7b229e0e59", "daily Seattle weather, 2012-01-01..2015-12-31");

    /// <summary>Every dataset.</summary>
    public static IReadOnlyList<SampleDataset> All { get; } = [Flights3m, SeattleWeather];

    /// <summary>The dataset named <paramref name="name"/> (e.g. <c>flights-3m</c>); an unknown name lists the known ones.</summary>
    public static SampleDataset Named(string name) =>
        All.FirstOrDefault(d => d.Name == name) ?? throw new ArgumentException($"no dataset named '{name}'; datasets: {string.Join(", ", All.Select(d => d.Name))}.");

    /// <summary>The file's full path; a missing file is a clear error saying where it was looked for.</summary>
    public string Path => Locate();

    /// <summary>A DuckDB expression that reads the file (<c>read_parquet('…')</c> or <c>read_csv('…')</c>).</summary>
    public string DuckDbSource => FileName.EndsWith(".parquet", StringComparison.Ordinal)
        ? $"read_parquet('{Path.Replace("'", "''", StringComparison.Ordinal)}')"
        : $"read_csv('{Path.Replace("'", "''", StringComparison.Ordinal)}', header = true)";

    /// <summary>Loads the dataset (or its first <paramref name="limit"/> rows).</summary>
    public DataFrame LoadDataFrame(int? limit = null)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return DuckDbChunkReader.Read(connection, $"SELECT * FROM {DuckDbSource}{(limit is { } n ? $" LIMIT {n}" : "")}");
    }

    /// <summary>Loads the dataset as an Arrow record batch (date-times as UTC microsecond timestamps).</summary>
    public RecordBatch LoadArrow(int? limit = null) => ArrowConversion.ToRecordBatch(LoadDataFrame(limit));

    /// <summary>Checks the file against its recorded checksum (git's blob SHA-1, as in the package's datapackage.json).</summary>
    public void Verify()
    {
        var path = Path;
        var bytes = File.ReadAllBytes(path);
        var header = System.Text.Encoding.ASCII.GetBytes($"blob {bytes.Length}\0");
#pragma warning disable CA5350 // SHA-1 is what the source package records; it checks provenance, not security.
        var actual = Convert.ToHexStringLower(SHA1.HashData([.. header, .. bytes]));
#pragma warning restore CA5350
        if (actual != GitBlobSha1)
        {
            throw new InvalidDataException($"{path}: checksum {actual} differs from the recorded {GitBlobSha1}; the file is not the published {Name}.");
        }
    }

    private string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("NOTEBOOKML_DATASETS");
        var starts = configured is { Length: > 0 } ? [configured] : new[] { Environment.CurrentDirectory, AppContext.BaseDirectory };
        foreach (var start in starts)
        {
            if (configured is { Length: > 0 } && File.Exists(System.IO.Path.Combine(configured, FileName)))
            {
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(configured, FileName));
            }

            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "datasets", FileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException(
            $"datasets/{FileName} not found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}" +
            (configured is { Length: > 0 } ? $" nor in NOTEBOOKML_DATASETS={configured}" : "") + "; set NOTEBOOKML_DATASETS to the folder holding it.");
    }
}
