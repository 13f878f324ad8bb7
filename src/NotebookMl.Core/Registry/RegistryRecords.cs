namespace NotebookMl.Core.Registry;

/// <summary>A registered model: its name, description and how many versions it has.</summary>
public sealed record RegisteredModel(string Name, string? Description, DateTimeOffset Created, int LatestVersion, IReadOnlyDictionary<string, int> Aliases)
{
    /// <summary>The model's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// One immutable version of a registered model: where it came from (the run), the ONNX artifact by
/// its content hash, the run's metrics and params and feature views as registered. Archiving changes
/// its status only; a version is never renumbered or changed.
/// </summary>
public sealed record ModelVersion(
    string Name,
    int Version,
    string? RunId,
    string OnnxSha256,
    long OnnxSize,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, int> FeatureViews,
    ModelVersionStatus Status,
    DateTimeOffset Created,
    string CreatedBy,
    IReadOnlyList<string> Aliases)
{
    /// <summary>This version's URI, <c>models:/NAME/N</c>.</summary>
    public string Uri => $"models:/{Name}/{Version}";

    /// <summary>The digest of the rows the model was trained on, or null when unknown.</summary>
    public string? DatasetDigest { get; init; }

    /// <summary>The version's tags (the only thing about a version that may change, with its status).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>What the version predicts, as registered.</summary>
    public string? Description { get; init; }

    /// <summary>The inputs and outputs its ONNX graph declares.</summary>
    public ModelSignature Signature { get; init; } = ModelSignature.Empty;

    /// <summary>The content hash of its reference statistics, or null when none were saved.</summary>
    public string? ReferenceSha256 { get; init; }

    /// <summary>The content hash of its recorded prediction sample (the ONNX gate's evidence), or null when none was saved.</summary>
    public string? SampleSha256 { get; init; }
}

/// <summary>Whether a version can be pointed at by aliases.</summary>
public enum ModelVersionStatus
{
    /// <summary>Registered and usable.</summary>
    Ready,

    /// <summary>Kept for the record; no alias may point at it.</summary>
    Archived,
}

/// <summary>What a gate checked before an alias moved: its expression, the value found, and whether it passed.</summary>
public sealed record GateResult(string Gate, string Value, bool Passed);

/// <summary>One change of an alias, as the append-only history keeps it.</summary>
public sealed record AliasChange(
    string Name,
    string Alias,
    int? FromVersion,
    int? ToVersion,
    DateTimeOffset Time,
    string Who,
    string? Reason,
    IReadOnlyList<GateResult> Gates);
