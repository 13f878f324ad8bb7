using System.Text.Json;

namespace NotebookMl.Core.Tracking;

/// <summary>
/// Metric points (and a run's end) that could not reach the store before its timeout, one JSON file per run in
/// <c>.notebookml/spool/</c>, until <c>notebookml store flush</c> sends them (<see cref="Tracker.FlushSpool"/>).
/// </summary>
internal static class MetricSpool
{
    // Id changes with every write to the file; a flush records it on the run in the transaction that adds the points, so
    // a flush killed after that commit and run again sends nothing twice.
    private sealed record SpoolFile(string Run, List<MetricPoint> Points, TrackedRunStatus? Status, DateTimeOffset? Ended, string? Id = null);

    /// <summary>Adds <paramref name="points"/> (and the end) to <paramref name="run"/>'s spool file; returns its path.</summary>
    public static string Write(string folder, string run, IReadOnlyList<MetricPoint> points, (TrackedRunStatus Status, DateTimeOffset Ended)? end)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, run + ".json");
        var file = File.Exists(path) ? Read(path) : new SpoolFile(run, [], null, null);
        file.Points.AddRange(points);
        file = (end is { } e ? file with { Status = e.Status, Ended = e.Ended } : file) with { Id = Guid.NewGuid().ToString("N") };
        var temporary = path + ".incoming";
        File.WriteAllText(temporary, JsonSerializer.Serialize(file));
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>The tag that records on a run that a spool file's points were sent (the file's id follows).</summary>
    public const string SentTagPrefix = "notebookml.spool.";

    /// <summary>Sends every spool file in <paramref name="folder"/> to <paramref name="tracker"/>'s store, deleting each once sent; returns runs and points sent.</summary>
    public static (int Runs, long Points) Flush(Tracker tracker, string folder)
    {
        var (runs, points) = (0, 0L);
        foreach (var path in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToArray() : [])
        {
            var file = Read(path);
            var sent = MetricWriter.Write(tracker.Database, file.Run, file.Points, once: $"{SentTagPrefix}{file.Id ?? Path.GetFileNameWithoutExtension(path)}");
            if (file.Status is { } status)
            {
                MetricWriter.WriteEnd(tracker.Database, file.Run, status, file.Ended!.Value);
            }

            File.Delete(path);
            if (sent || file.Status is not null && file.Points.Count == 0)
            {
                runs++;
                points += file.Points.Count;
            }
        }

        return (runs, points);
    }

    private static SpoolFile Read(string path) =>
        JsonSerializer.Deserialize<SpoolFile>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: not a metric spool file.");
}
