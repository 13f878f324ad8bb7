using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using NotebookMl.Core.Options;

namespace NotebookMl.Training.Tabular;

/// <summary>The ML.NET trainer for a model kind and task, with the options' settings.</summary>
internal static class Learners
{
    public static IEstimator<ITransformer> For(MLContext ml, TrainingOptions o, TaskKind task) => (o.Model, task) switch
    {
        (ModelKind.LightGbm, TaskKind.Binary) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = o.Tree.Trees, NumberOfLeaves = o.Tree.Leaves, LearningRate = o.Tree.LearningRate, MinimumExampleCountPerLeaf = o.Tree.MinRowsPerLeaf,
            Seed = o.Seed, NumberOfThreads = o.Threads, Verbose = false, Silent = true,
        }),
        (ModelKind.LightGbm, TaskKind.Regression) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = o.Tree.Trees, NumberOfLeaves = o.Tree.Leaves, LearningRate = o.Tree.LearningRate, MinimumExampleCountPerLeaf = o.Tree.MinRowsPerLeaf,
            Seed = o.Seed, NumberOfThreads = o.Threads, Verbose = false, Silent = true,
        }),
        (ModelKind.FastTree, TaskKind.Binary) => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = o.Tree.Trees, NumberOfLeaves = o.Tree.Leaves, LearningRate = o.Tree.LearningRate, MinimumExampleCountPerLeaf = o.Tree.MinRowsPerLeaf,
            Seed = o.Seed, NumberOfThreads = o.Threads,
        }),
        (ModelKind.FastTree, TaskKind.Regression) => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = o.Tree.Trees, NumberOfLeaves = o.Tree.Leaves, LearningRate = o.Tree.LearningRate, MinimumExampleCountPerLeaf = o.Tree.MinRowsPerLeaf,
            Seed = o.Seed, NumberOfThreads = o.Threads,
        }),
        (ModelKind.Sdca, TaskKind.Binary) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
        {
            MaximumNumberOfIterations = o.Linear.Iterations, NumberOfThreads = o.Threads ?? 1,
        }),
        (ModelKind.Sdca, TaskKind.Regression) => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
        {
            MaximumNumberOfIterations = o.Linear.Iterations, NumberOfThreads = o.Threads ?? 1,
        }),
        (ModelKind.Lbfgs, TaskKind.Binary) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            MaximumNumberOfIterations = Math.Max(o.Linear.Iterations, 100), NumberOfThreads = o.Threads,
        }),
        (ModelKind.Mlp, _) => throw new InvalidOptionException(nameof(TrainingOptions.Model), "mlp is trained by TorchSharp: use NotebookMl.Training.Torch's MlpLearner (the train verb does)."),
        _ => throw new InvalidOptionException(nameof(TrainingOptions.Model), $"{o.Model.ToString().ToLowerInvariant()} does not do {task.ToString().ToLowerInvariant()}; use lightgbm, fasttree or sdca."),
    };

    /// <summary>Trees take categories as ranks and raw numbers; linear models one-hot categories and standardized numbers.</summary>
    public static bool IsTrees(ModelKind model) => model is ModelKind.LightGbm or ModelKind.FastTree;
}
