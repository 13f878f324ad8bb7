using System.Globalization;
using NotebookMl.Core.Features;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;

namespace NotebookMl.Training.Tabular;

/// <summary>
/// How a registered version was trained, read back from its run and its lineage, so that retraining trains the same model
/// on new rows: the learner and its settings, the task and label, the feature columns, and which of them it read from
/// feature views (<see cref="Features"/>, to join point-in-time again). The split, the time window and where the run is
/// tracked are the retraining's own.
/// </summary>
/// <param name="Version">The version the recipe is read from.</param>
/// <param name="Options">Its training options: learner, settings, task, label, features, seed.</param>
/// <param name="Features">The features it took from its feature views (its lineage), as <c>VIEW:FEATURE</c>.</param>
public sealed record TrainingRecipe(ModelVersion Version, TrainingOptions Options, IReadOnlyList<FeatureReference> Features)
{
    /// <summary>
    /// The recipe of <paramref name="version"/>, from its run's params in <paramref name="tracker"/> and, for its feature
    /// views, their definitions in <paramref name="store"/>. A version registered without a run has no recipe to read.
    /// </summary>
    public static TrainingRecipe Of(ModelVersion version, Tracker tracker, FeatureStore store)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(store);
        if (version.RunId is not { } runId)
        {
            throw new ArgumentException($"{version.Uri} was registered without a training run, so how it was trained is not known; train a model anew.");
        }

        var values = tracker.GetRun(runId).Summary.Params;
        string Param(string key) => values.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"run {runId} of {version.Uri} has no param '{key}'; it was not trained by NotebookMl's trainer, so its recipe is not known.");
        int Whole(string key) => int.Parse(Param(key), CultureInfo.InvariantCulture);
        double Number(string key) => double.Parse(Param(key), CultureInfo.InvariantCulture);

        var model = Enum.Parse<ModelKind>(Param("model"), ignoreCase: true);
        var options = new TrainingOptions
        {
            Label = Param("label"),
            Model = model,
            Task = Enum.Parse<TaskKind>(Param("task"), ignoreCase: true),
            Features = Param("features").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Seed = Whole("seed"),
        };
        options = model switch
        {
            ModelKind.LightGbm or ModelKind.FastTree => options with
            {
                Tree = new TreeOptions { Trees = Whole("trees"), Leaves = Whole("leaves"), LearningRate = Number("learning_rate"), MinRowsPerLeaf = Whole("min_rows_per_leaf") },
            },
            ModelKind.Mlp => options with
            {
                Mlp = new MlpOptions
                {
                    Hidden = Param("hidden").Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToArray(),
                    Epochs = Whole("epochs"), BatchSize = Whole("batch_size"), LearningRate = Number("learning_rate"), Device = Param("device"),
                },
            },
            _ => options with { Linear = new LinearOptions { Iterations = Whole("iterations") } },
        };

        // The features the model read from its views, by the views' definitions now (a feature no longer there is an error naming it).
        var features = version.FeatureViews.Keys.Order(StringComparer.Ordinal)
            .SelectMany(view => store.GetView(view).View.Features.Where(f => options.Features.Contains(f.Name)).Select(f => new FeatureReference(view, f.Name)))
            .ToArray();
        return new TrainingRecipe(version, options, features);
    }
}
