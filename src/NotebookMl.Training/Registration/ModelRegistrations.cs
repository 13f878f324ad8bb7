using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Tabular;
using NotebookMl.Core.Drift.Reference;
using NotebookMl.Core.Registry.Reference;
using NotebookMl.Training.Reference;

namespace NotebookMl.Training.Registration;

/// <summary>Builds <see cref="ModelRegistration"/>s: from a tracked run (its ONNX model, metrics, params, lineage and reference), or from an ONNX file.</summary>
public static class ModelRegistrations
{
    /// <summary>The artifact a run's model is logged as.</summary>
    public const string ModelArtifact = "model/model.onnx";

    /// <summary>
    /// What run <paramref name="runId"/> (id, unique prefix or <c>runs:/RUN_ID/model</c>) recorded: its ONNX model with the graph's signature, its metrics and
    /// params, the feature views (and versions) it read, and the reference statistics and prediction sample training saved.
    /// </summary>
    public static ModelRegistration FromRun(Tracker tracker, string runId, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var details = tracker.GetRun(runId.StartsWith("runs:/", StringComparison.Ordinal) ? ModelUri.Parse(runId).RunId! : runId);
        var id = details.Summary.Id;
        var artifacts = details.Artifacts.Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        if (!artifacts.Contains(ModelArtifact))
        {
            throw new ArgumentException($"run {id} has no ONNX model ({ModelArtifact}); only runs of #!train (or runs that logged one) can be registered.");
        }

        var onnx = tracker.ReadArtifact(id, ModelArtifact);
        var featureViews = details.Inputs.Where(i => i.Name.StartsWith("feature_views/", StringComparison.Ordinal) && i.Digest.StartsWith('v'))
            .ToDictionary(i => i.Name["feature_views/".Length..], i => int.Parse(i.Digest[1..], CultureInfo.InvariantCulture));
        return new ModelRegistration(onnx)
        {
            RunId = id,
            Metrics = details.Summary.Metrics,
            Params = details.Summary.Params,
            FeatureViews = featureViews,
            DatasetDigest = details.Inputs.FirstOrDefault(i => i.Name == "training")?.Digest,
            Description = description,
            Signature = OnnxSignature.Of(onnx, $"{ModelArtifact} of run {id}"),
            Reference = artifacts.Contains(TrainingRuns.ReferenceArtifact) ? Json<ReferenceStatistics>(tracker.ReadArtifact(id, TrainingRuns.ReferenceArtifact)) : null,
            Sample = artifacts.Contains(TrainingRuns.SampleArtifact) ? Json<PredictionSample>(tracker.ReadArtifact(id, TrainingRuns.SampleArtifact)) : null,
        };
    }

    /// <summary>
    /// An ONNX model without a run. With <paramref name="reference"/> rows (those it was trained on, or any rows it should be
    /// compared with), the reference statistics are computed from them and the model's own predictions on them, and a sample
    /// of them is recorded with its predictions for the ONNX gate.
    /// </summary>
    public static ModelRegistration FromOnnx(byte[] onnx, DataFrame? reference = null, string? description = null, string describe = "the model")
    {
        var signature = OnnxSignature.Of(onnx, describe);
        var registration = new ModelRegistration(onnx) { Signature = signature, Description = description };
        if (reference is null)
        {
            return registration;
        }

        if (reference.Rows.Count == 0)
        {
            throw new ArgumentException($"reference: the reference rows are empty; {describe} needs rows to profile.", nameof(reference));
        }

        using var model = LoadedModel.FromOnnx(onnx, describe);
        var inputs = signature.Inputs.Select(i => new OnnxInput(i.Name, i.DataType == "BYTES" ? "string" : "float32", [-1, 1])).ToArray();
        var numeric = signature.Outputs.Where(o => o.DataType is "FP32" or "FP64").Select(o => o.Name).ToArray();
        IReadOnlyDictionary<string, float[]> Predict(DataFrame rows)
        {
            var outputs = model.Predict(rows, numeric);
            return numeric.ToDictionary(n => n, n => Enumerable.Range(0, (int)outputs.Rows.Count).Select(r => Convert.ToSingle(outputs.Columns[n][r], CultureInfo.InvariantCulture)).ToArray());
        }

        var all = Enumerable.Range(0, (int)reference.Rows.Count).ToArray();
        return registration with
        {
            Reference = ReferenceData.Statistics(reference, null, inputs, Predict(reference)),
            Sample = ReferenceData.Sample(reference, all, inputs, Predict),
        };
    }

    private static T Json<T>(byte[] bytes) => JsonSerializer.Deserialize<T>(bytes, RegistryJson.Options) ?? throw new InvalidDataException($"an empty {typeof(T).Name} document.");
}
