using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Reference;
using NotebookMl.Core.Registry.Reference;
namespace NotebookMl.Core.Registry;

/// <summary>
/// What a new model version is registered with: the ONNX model and everything recorded about it. Build it
/// from a run or a file with Training's <c>ModelRegistrations</c>, or by hand.
/// </summary>
/// <param name="Onnx">The ONNX model's bytes.</param>
public sealed record ModelRegistration(byte[] Onnx)
{
    /// <summary>The tracked run that produced the model, if any.</summary>
    public string? RunId { get; init; }

    /// <summary>The run's metrics (test_auc, …).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The run's params.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>The feature views (and their versions) the model was trained on.</summary>
    public IReadOnlyDictionary<string, int> FeatureViews { get; init; } = new Dictionary<string, int>();

    /// <summary>The digest of the rows the model was trained on (the run's <c>training</c> input).</summary>
    public string? DatasetDigest { get; init; }

    /// <summary>Tags of the version (<c>team</c>, <c>ticket</c>, …); more can be set later.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>What the model predicts (kept on the registered model too).</summary>
    public string? Description { get; init; }

    /// <summary>The inputs and outputs the ONNX graph declares.</summary>
    public ModelSignature Signature { get; init; } = ModelSignature.Empty;

    /// <summary>Statistics of the training rows and predictions, for drift monitoring without the data.</summary>
    public ReferenceStatistics? Reference { get; init; }

    /// <summary>Rows and the predictions recorded for them, which the ONNX gate reproduces before a promotion.</summary>
    public PredictionSample? Sample { get; init; }
}
