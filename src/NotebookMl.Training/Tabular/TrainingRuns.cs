using NotebookMl.Core.Drift;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Drift.Reference;
using NotebookMl.Core.Registry.Reference;

namespace NotebookMl.Training.Tabular;

/// <summary>How every learner's training run ends: test metrics and artifacts logged, then FINISHED, or KILLED when interrupted.</summary>
public static class TrainingRuns
{
    /// <summary>
    /// Logs <paramref name="metrics"/> as <c>test_*</c>, lets <paramref name="artifacts"/> save the models,
    /// and ends an interrupted run as KILLED with the tag <c>interrupted</c>; reports the last stage.
    /// </summary>
    public static void Finish(TrackedRun? run, IReadOnlyDictionary<string, double> metrics, bool interrupted, Action<TrackedRun> artifacts, IProgress<TrainingProgress>? progress)
    {
        run?.LogMetrics(metrics.ToDictionary(m => $"test_{m.Key}", m => m.Value));
        if (run is not null)
        {
            progress?.Report(new TrainingProgress("saving artifacts", 0.95));
            artifacts(run);
            if (interrupted)
            {
                run.SetTag("interrupted", "true");
                run.End(TrackedRunStatus.Killed);
            }
        }

        progress?.Report(new TrainingProgress(interrupted ? "interrupted" : "done", 1));
    }

    /// <summary>The run artifacts registration copies into the registry: reference statistics and the recorded prediction sample.</summary>
    public const string ReferenceArtifact = "reference/statistics.json", SampleArtifact = "reference/sample.json";

    /// <summary>Logs the training rows' <paramref name="statistics"/> and the prediction <paramref name="sample"/> for registration to copy.</summary>
    public static void LogReference(TrackedRun run, ReferenceStatistics statistics, PredictionSample sample)
    {
        run.LogText(System.Text.Json.JsonSerializer.Serialize(statistics, RegistryJson.Options), ReferenceArtifact);
        run.LogText(System.Text.Json.JsonSerializer.Serialize(sample, RegistryJson.Options), SampleArtifact);
    }

    /// <summary>Logs an ONNX model (one that passed its parity check) as <c>model/model.onnx</c>, and writes it to <paramref name="path"/> too when given.</summary>
    public static void LogOnnx(TrackedRun run, byte[] onnx, string? path)
    {
        run.LogArtifact(new MemoryStream(onnx), "model/model.onnx");
        if (path is not null)
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, onnx);
        }
    }
}
