using NotebookMl.Verbs;

namespace NotebookMl.Extensions.Ml;

/// <summary>The ML extension's verbs: the one list every host (our kernel, the CLI) adds, each under its own syntax.</summary>
public static class MlVerbs
{
    /// <summary>The verbs; in a notebook, <paramref name="variables"/> lets them see its variables (<c>#!profile frame</c>).</summary>
    public static IReadOnlyList<IVerb> Create(IVariableSource? variables = null) =>
        [new Profiling.ProfileVerb(variables), new Tracking.RunsVerb(), new Features.FeaturesVerb(), new Training.TrainVerb(), new Models.ModelsVerb(), new Models.PredictVerb(), new Drift.DriftVerb(variables)];

    /// <summary>The assemblies a notebook's cells may use beside the verbs: Core, Training (tabular and Torch), this extension and Plotly.NET.</summary>
    public static IReadOnlyList<System.Reflection.Assembly> CellAssemblies { get; } =
    [
        typeof(Core.Tracking.Tracker).Assembly, typeof(NotebookMl.Training.Tabular.TabularTrainer).Assembly, typeof(NotebookMl.Training.Torch.MlpLearner).Assembly,
        typeof(MlVerbs).Assembly, typeof(Plotly.NET.GenericChart).Assembly, typeof(Plotly.NET.CSharp.Chart).Assembly,
    ];
}
