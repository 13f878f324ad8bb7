using NotebookMl.Kernel;
using NotebookMl.Kernel.Verbs;

namespace NotebookMl.Extensions.Ml;

/// <summary>The ML extension's verbs: the one list every host (our kernel, the CLI) adds, each under its own syntax.</summary>
public static class MlVerbs
{
    /// <summary>The verbs; in a kernel, <paramref name="kernel"/> lets them see the notebook's variables (<c>#!profile frame</c>).</summary>
    public static IReadOnlyList<IVerb> Create(CSharpKernel? kernel = null) =>
        [new Profiling.ProfileVerb(kernel), new Tracking.RunsVerb(), new Features.FeaturesVerb(), new Training.TrainVerb()];
}
