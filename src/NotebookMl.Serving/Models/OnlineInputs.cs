using System.Globalization;
using NotebookMl.Core.Features;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Protocol;
using NotebookMl.Core.Features.Online;

namespace NotebookMl.Serving.Models;

/// <summary>
/// The inputs of a served version that a request may leave out: the model's online features, from the feature views it
/// was trained on (its lineage), looked up per row by the entity join keys the request gives. A key never materialized,
/// or a value past its view's TTL, becomes a missing value (NaN, or "" for text), which the model imputes as at training.
/// Every value looked up is counted by what it found (<see cref="OnlineLookups"/>).
/// </summary>
public sealed class OnlineInputs
{
    private readonly OnlineFeaturePlan _plan;
    private readonly ModelSignature _model;
    private readonly OnlineLookups? _lookups;

    private OnlineInputs(OnlineFeaturePlan plan, ModelSignature model, OnlineLookups? lookups)
    {
        (_plan, _model, _lookups) = (plan, model, lookups);
        var inputs = model.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        Signature = new RequestSignature(model,
            plan.JoinKeys.Where(k => !inputs.Contains(k)).Select(k => new TensorSignature(k, "BYTES", [-1, 1])).ToArray(),
            plan.Inputs.Select(i => i.Input).ToHashSet(StringComparer.Ordinal), plan.JoinKeys);
    }

    /// <summary>What requests to the version may carry.</summary>
    public RequestSignature Signature { get; }

    /// <summary>
    /// The online inputs of <paramref name="version"/> in <paramref name="store"/>, or null when it has none (no feature views, or
    /// none of its inputs is a feature); <paramref name="lookups"/> counts what each lookup found.
    /// </summary>
    public static OnlineInputs? For(FeatureStore store, ModelVersion version, OnlineLookups? lookups = null)
    {
        if (version.FeatureViews.Count == 0)
        {
            return null;
        }

        var plan = OnlineFeaturePlan.For(store, version.Signature.Inputs.Select(i => i.Name).ToArray(), version.FeatureViews.Keys.ToArray());
        return plan.Inputs.Count == 0 ? null : new OnlineInputs(plan, version.Signature, lookups);
    }

    /// <summary><paramref name="request"/> (validated against <see cref="Signature"/>) with the inputs it left out looked up, and only the model's inputs, in its order.</summary>
    public async Task<InferRequest> FillAsync(InferRequest request)
    {
        var given = request.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var missing = _model.Inputs.Where(i => !given.ContainsKey(i.Name)).ToArray();
        if (missing.Length == 0)
        {
            return request with { Inputs = _model.Inputs.Select(i => given[i.Name]).ToArray() };
        }

        var rows = (int)(request.Inputs.FirstOrDefault(i => i.Shape.Length > 0)?.Shape[0] ?? 1);
        var found = new object?[rows][];
        var wanted = missing.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        for (var r = 0; r < rows; r++)
        {
            var values = await _plan.ExplainAsync(_plan.JoinKeys.ToDictionary(k => k, k => Key(given[k], r, rows), StringComparer.Ordinal));
            _lookups?.Count(values.Where((_, i) => wanted.Contains(_plan.Inputs[i].Input)));
            found[r] = values.Select(v => v.Value).ToArray();
        }

        foreach (var input in missing)
        {
            var at = _plan.Inputs.TakeWhile(i => i.Input != input.Name).Count();
            given[input.Name] = Tensor(input, rows, r => found[r][at]);
        }

        return request with { Inputs = _model.Inputs.Select(i => given[i.Name]).ToArray() };
    }

    private static object? Key(InferTensor tensor, int row, int rows)
    {
        var width = rows == 0 ? 1 : tensor.Data.Length / rows;
        return tensor.Data.GetValue(row * width) switch
        {
            string text => text,
            float f => (double)f,
            int i => (long)i,
            var other => other,
        };
    }

    private static InferTensor Tensor(TensorSignature input, int rows, Func<int, object?> value)
    {
        long[] shape = input.Shape.Count == 2 ? [rows, 1] : [rows];
        double? Number(int r) => value(r) is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
        Array data = input.DataType switch
        {
            "FP32" => Enumerable.Range(0, rows).Select(r => Number(r) is { } v ? (float)v : float.NaN).ToArray(),
            "FP64" => Enumerable.Range(0, rows).Select(r => Number(r) ?? double.NaN).ToArray(),
            "INT64" => Enumerable.Range(0, rows).Select(r => (long)(Number(r) ?? 0)).ToArray(),
            "INT32" => Enumerable.Range(0, rows).Select(r => (int)(Number(r) ?? 0)).ToArray(),
            "BOOL" => Enumerable.Range(0, rows).Select(r => Number(r) is { } v && v != 0).ToArray(),
            _ => Enumerable.Range(0, rows).Select(r => value(r) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? "" : "").ToArray(),
        };
        return new InferTensor(input.Name, input.DataType, shape, data);
    }
}
