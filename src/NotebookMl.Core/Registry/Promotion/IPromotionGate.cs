using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Promotion;

/// <summary>
/// A check a version must pass before an alias moves to it. The registry's own gates are the metric gates
/// and the drift gate; Training adds the ONNX gate (the artifact reproduces its recorded predictions).
/// </summary>
public interface IPromotionGate
{
    /// <summary>The results of checking <paramref name="candidate"/>: one per condition, each with the value found.</summary>
    IEnumerable<GateResult> Check(PromotionCandidate candidate);
}

/// <summary>What a gate looks at: the version to promote, the alias, and the registry (for other versions and artifacts).</summary>
/// <param name="Version">The version to promote.</param>
/// <param name="Alias">The alias that would move to it.</param>
/// <param name="Registry">The registry, to read what aliases point at and the version's artifacts.</param>
public sealed record PromotionCandidate(ModelVersion Version, string Alias, ModelRegistry Registry);

/// <summary>The outcome of a promotion: every gate's result, and the alias change when all passed.</summary>
/// <param name="Version">The version that was to be promoted.</param>
/// <param name="Alias">The alias.</param>
/// <param name="Gates">Every gate checked, passed or not.</param>
/// <param name="Change">The alias change recorded, or null when a gate failed and the alias did not move.</param>
public sealed record PromotionResult(ModelVersion Version, string Alias, IReadOnlyList<GateResult> Gates, AliasChange? Change)
{
    /// <summary>True when every gate passed and the alias moved.</summary>
    public bool Promoted => Change is not null;
}
