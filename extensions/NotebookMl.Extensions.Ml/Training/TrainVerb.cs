using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Core.Features;
using NotebookMl.Core.Time;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Verbs;
using NotebookMl.Training.Tabular;
using NotebookMl.Training.Validation;
using NotebookMl.Training.Torch;
using NotebookMl.Training.Torch.Images;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Training;

/// <summary>
/// <c>#!train</c> / <c>notebookml train</c>: trains a tabular model on a file (optionally through a DuckDB
/// query) or on a point-in-time training set from the feature store, tracks the run and exports the
/// ONNX model after its parity check. The options mirror <see cref="TrainingOptions"/>.
/// </summary>
public sealed class TrainVerb : IVerb
{
    /// <inheritdoc/>
    public string Name => "train";

    /// <inheritdoc/>
    public string Description => "Train a model (LightGBM, FastTree, SDCA, L-BFGS, MLP on tables; a CNN on Fashion-MNIST), track it and export it to ONNX.";

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> RenamedOptions { get; } = new Dictionary<string, string>
    {
        [nameof(TrainingOptions.Features)] = "--columns",
        [nameof(MlpOptions.CheckpointFolder)] = "--checkpoints",
        [nameof(TrainingOptions.OnnxPath)] = "--onnx",
    };

    /// <inheritdoc/>
    public Command CreateCommand(IVerbContext context)
    {
        var defaults = TrainingOptions.Defaults;
        var data = new Option<string?>("--data") { Description = "Training rows: a Parquet, CSV or Arrow file." };
        var query = new Option<string?>("--query") { Description = "DuckDB SQL over the file, which is the relation 'source' (derive columns here)." };
        var entities = new Option<string?>("--entities") { Description = "Entity rows for a point-in-time training set from the feature store (with --features)." };
        var features = new Option<string?>("--features") { Description = "VIEW:FEATURE,… joined point-in-time to --entities." };
        var timestamp = new Option<string>("--timestamp-column") { Description = "The entity rows' time column.", DefaultValueFactory = _ => "event_timestamp" };
        var label = new Option<string?>("--label") { Description = "The column to predict (tabular models)." };
        var images = new Option<string?>("--images") { Description = $"cnn: the Fashion-MNIST idx folder (default {FashionMnist.DefaultFolder})." };
        var limit = new Option<int?>("--limit") { Description = "cnn: train on at most this many images." };
        var columns = new Option<string?>("--columns") { Description = "Feature columns, comma-separated (default: all but the label and time columns)." };
        var exclude = new Option<string?>("--exclude") { Description = "Columns not to train on, comma-separated." };
        var model = new Option<ModelKind>("--model") { Description = "lightgbm, fasttree, sdca, lbfgs or mlp (TorchSharp).", DefaultValueFactory = _ => defaults.Model };
        var task = new Option<TaskKind?>("--task") { Description = "binary or regression (default: binary for a yes/no label)." };
        var split = new Option<SplitKind>("--split") { Description = "random, stratified or time.", DefaultValueFactory = _ => defaults.Split };
        var timeColumn = new Option<string?>("--time-column") { Description = "With --split time: the time column." };
        var testFrom = new Option<DateTime?>("--test-from") { Description = "With --split time: rows from this time on are test rows." };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of test rows.", DefaultValueFactory = _ => defaults.TestFraction };
        var trees = new Option<int>("--trees") { Description = "Boosting rounds.", DefaultValueFactory = _ => defaults.Tree.Trees };
        var leaves = new Option<int>("--leaves") { Description = "Leaves per tree.", DefaultValueFactory = _ => defaults.Tree.Leaves };
        var learningRate = new Option<double?>("--learning-rate") { Description = $"Default: {defaults.Tree.LearningRate.ToString(CultureInfo.InvariantCulture)} for trees, {defaults.Mlp.LearningRate.ToString(CultureInfo.InvariantCulture)} (Adam) for mlp." };
        var minRows = new Option<int>("--min-rows-per-leaf") { DefaultValueFactory = _ => defaults.Tree.MinRowsPerLeaf };
        var iterations = new Option<int>("--iterations") { Description = "Passes for the linear learners.", DefaultValueFactory = _ => defaults.Linear.Iterations };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int?>("--threads") { Description = "Default: all cores." };
        var experiment = new Option<string>("--experiment") { Description = "The experiment the run is tracked in.", DefaultValueFactory = _ => defaults.Experiment! };
        var runName = new Option<string?>("--run-name");
        var onnx = new Option<string?>("--onnx") { Description = "Also write the ONNX model here (it is always a run artifact)." };
        var hidden = new Option<string>("--hidden") { Description = "mlp: hidden layer widths, comma-separated.", DefaultValueFactory = _ => string.Join(",", defaults.Mlp.Hidden) };
        var epochs = new Option<int>("--epochs") { Description = "mlp: passes over the training rows.", DefaultValueFactory = _ => defaults.Mlp.Epochs };
        var batchSize = new Option<int>("--batch-size") { Description = "mlp: rows per step.", DefaultValueFactory = _ => defaults.Mlp.BatchSize };
        var device = new Option<string>("--device") { Description = "mlp: auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => defaults.Mlp.Device };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "mlp: write the model after every epoch into this folder." };
        var cv = new Option<string?>("--cv") { Description = "Cross-validate the training rows before the final fit: K (k-fold), stratified:K, group:K (with --group-column) or time:K (on --time-column, with --gap); folds as scikit-learn cuts them. Logs fold_*, cv_* and cv_*_std and the out-of-fold predictions (cv/predictions.parquet); the test rows stay out.", HelpName = "K|KIND:K" };
        var groupColumn = new Option<string?>("--group-column") { Description = "With --cv group:K: the column whose values are the groups; a group's rows stay in one fold.", HelpName = "COLUMN" };
        var gap = new Option<string?>("--gap") { Description = "With --cv time:K: what is left out before each validation block, rows (24) or time on --time-column (1d).", HelpName = "ROWS|DURATION" };
        var storeTimeout = new Option<string?>("--store-timeout") { Description = "How long the run waits for a shared store that went away before it fails and spools its points (30s, 10m; default NOTEBOOKML_STORE_TIMEOUT, else 5m).", HelpName = "DURATION" };
        var command = new Command(Name, Description)
        {
            data, query, entities, features, timestamp, label, columns, exclude, model, task, split, timeColumn, testFrom, testFraction,
            trees, leaves, learningRate, minRows, iterations, seed, threads, experiment, runName, onnx, hidden, epochs, batchSize, device, checkpoints, images, limit, cv, groupColumn, gap, storeTimeout,
        };
        command.SetAction((parse, cancellation) =>
        {
            var waitForStore = parse.GetValue(storeTimeout) is { } text ? Durations.Parse(text, "--store-timeout", positive: true) : (TimeSpan?)null;
            if (parse.GetValue(model) == ModelKind.Cnn)
            {
                var folder = parse.GetValue(images) ?? FashionMnist.DefaultFolder;
                var imageOptions = new ImageTrainingOptions
                {
                    Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize), LearningRate = parse.GetValue(learningRate) ?? new ImageTrainingOptions().LearningRate, Seed = parse.GetValue(seed),
                    Device = parse.GetValue(device)!, TrainLimit = parse.GetValue(limit), CheckpointFolder = parse.GetValue(checkpoints), Experiment = parse.GetValue(experiment),
                    RunName = parse.GetValue(runName), OnnxPath = parse.GetValue(onnx),
                }.Validate();
                var network = WithProgress(context, "training cnn", progress => ImageTrainer.Train(FashionMnist.Train(folder), FashionMnist.Test(folder), imageOptions, progress,
                    waitForStore is null ? null : Tracker.Open(WorkspaceLocation.Current(), storeTimeout: waitForStore), cancellation, FashionMnist.Digest(folder)));
                context.Display(ImageResult(network));
                return Task.CompletedTask;
            }

            // Every option is checked before any data is read.
            var options = new TrainingOptions
            {
                Label = parse.GetValue(label) ?? throw new ArgumentException("--label: name the column to predict."), Features = List(parse.GetValue(columns)), Exclude = List(parse.GetValue(exclude)), Model = parse.GetValue(model),
                Task = parse.GetValue(task), Split = parse.GetValue(split), TimeColumn = parse.GetValue(timeColumn), TestFrom = parse.GetValue(testFrom),
                TestFraction = parse.GetValue(testFraction), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
                Cv = parse.GetValue(cv) is { } folds ? CrossValidation.Parse(folds, nameof(TrainingOptions.Cv)) : null, GroupColumn = parse.GetValue(groupColumn),
                Gap = parse.GetValue(gap) is { } left ? CvGap.Parse(left, nameof(TrainingOptions.Gap)) : null,
                Experiment = parse.GetValue(experiment), RunName = parse.GetValue(runName), OnnxPath = parse.GetValue(onnx),
                Tree = new TreeOptions
                {
                    Trees = parse.GetValue(trees), Leaves = parse.GetValue(leaves), MinRowsPerLeaf = parse.GetValue(minRows),
                    LearningRate = parse.GetValue(learningRate) ?? defaults.Tree.LearningRate,
                },
                Linear = new LinearOptions { Iterations = parse.GetValue(iterations) },
                Mlp = new MlpOptions
                {
                    Hidden = Widths(parse.GetValue(hidden)!), Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize), Device = parse.GetValue(device)!,
                    CheckpointFolder = parse.GetValue(checkpoints), LearningRate = parse.GetValue(learningRate) ?? defaults.Mlp.LearningRate,
                },
            }.Validate();
            var (frame, views) = Rows(parse.GetValue(data), parse.GetValue(query), parse.GetValue(entities), parse.GetValue(features), parse.GetValue(timestamp)!);
            options = options with { FeatureViews = views };
            ITabularLearner learner = options.Model == ModelKind.Mlp ? new MlpLearner() : new MlNetLearner(options.Model);
            var tracker = waitForStore is null ? null : Tracker.Open(WorkspaceLocation.Current(), storeTimeout: waitForStore);
            var trained = WithProgress(context, $"training {options.Model.ToString().ToLowerInvariant()}", progress => TabularTrainer.Train(frame, options, learner, progress, tracker, cancellation));
            if (trained.Interrupted)
            {
                context.WriteLine("interrupted: the model trained so far was evaluated, saved and exported; its run is marked KILLED.");
            }

            context.Display(new TrainingReport(trained));
            return Task.CompletedTask;
        });
        return command;
    }

    private static (DataFrame Frame, IReadOnlyDictionary<string, int>? Views) Rows(string? data, string? query, string? entities, string? features, string timestamp)
    {
        if (data is not null == (entities is not null))
        {
            throw new ArgumentException("train: give either --data FILE or --entities FILE with --features VIEW:FEATURE,….");
        }

        if (data is not null)
        {
            return (DataFiles.Read(data, query), null);
        }

        using var store = FeatureStore.ForExistingWorkspace();
        var wanted = FeatureReference.ParseList(features ?? throw new ArgumentException("--entities needs --features VIEW:FEATURE,…."));
        var historical = store.GetHistoricalFeatures(entities!, wanted, timestamp);
        return (historical.Frame, historical.Views);
    }

    private static int[] Widths(string text) =>
        List(text).Select(w => int.TryParse(w, System.Globalization.CultureInfo.InvariantCulture, out var width) && width > 0 ? width : throw new ArgumentException($"--hidden: '{text}' is not positive widths like 64,32.")).ToArray();

    private static string[] List(string? text) => text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static TableResult ImageResult(TrainedConvNet network)
    {
        var metrics = network.Metrics!;
        var table = new Table(["metric", "value"], metrics.Values.Select(m => (IReadOnlyList<string>)[m.Key, m.Value.ToString("0.#####", CultureInfo.InvariantCulture)]).ToArray())
        {
            Title = $"cnn{(network.Interrupted ? " (interrupted)" : "")}: run {network.RunId}",
        };
        var classes = network.Classes;
        var confusion = new Table(["true \\ predicted", .. classes], classes.Select((c, i) => (IReadOnlyList<string>)[c, .. classes.Select((_, j) => metrics.Confusion[i, j].ToString(CultureInfo.InvariantCulture))]).ToArray()) { Title = "Confusion matrix" };
        return new TableResult([table, confusion], new
        {
            run_id = network.RunId, model = "cnn", task = "multiclass", metrics = metrics.Values, interrupted = network.Interrupted,
            curve = network.Curve.Select(c => new { step = c.Epoch, value = c.Accuracy }), curve_metric = "accuracy", onnx = network.Options.OnnxPath is { } p ? Path.GetFullPath(p) : null,
        });
    }

    /// <summary>Runs training under the context's progress display (a bar in a terminal, an updating display in a notebook).</summary>
    private static T WithProgress<T>(IVerbContext context, string title, Func<IProgress<TrainingProgress>, T> work) =>
        context.WithProgress(title, progress => work(new Reporter(p => progress.Report(new ProgressUpdate(p.Stage, p.Fraction, p.Metric, p.Step, p.Value)))));

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
