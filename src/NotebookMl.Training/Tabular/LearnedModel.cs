namespace NotebookMl.Training.Tabular;

/// <summary>What a learner's fit gives back: the fitted model and how training went.</summary>
/// <param name="Model">The fitted model.</param>
/// <param name="CurveMetric">The validation metric of <paramref name="Curve"/> (auc or rmse).</param>
/// <param name="Curve">The validation metric per step (trees or epochs); empty when there is none.</param>
/// <param name="Interrupted">True when training was cancelled and <paramref name="Model"/> is the one trained so far.</param>
public sealed record LearnedModel(FittedTabularModel Model, string CurveMetric, IReadOnlyList<(int Step, double Value)> Curve, bool Interrupted = false);

/// <summary>Facts about a training, known once the learner has fitted.</summary>
internal sealed record TrainingFacts(string? RunId, (int Train, int Test) Rows, string TrainingDigest, double TrainingSeconds);
