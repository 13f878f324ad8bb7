using Microsoft.Data.Analysis;
using NotebookMl.Core.Datasets;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Training.Registration;
using NotebookMl.Training.Tabular;

namespace NotebookMl.Serving.Tests;

/// <summary>Two real flight-delay models (10 and 40 trees), trained and tracked once for all serving tests, ready to register.</summary>
public sealed class TrainedModels : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-serving-models-").FullName;

    public TrainedModels()
    {
        var flights = SampleDataset.Flights3m.LoadDataFrame(20_000);
        var delays = flights["delay"];
        var late = new BooleanDataFrameColumn("late", Enumerable.Range(0, (int)flights.Rows.Count).Select(i => (bool?)(Convert.ToDouble(delays[i], System.Globalization.CultureInfo.InvariantCulture) > 15)));
        Rows = new DataFrame(flights["distance"], flights["origin"], flights["destination"], late);
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")).EnsureCreated());
        Small = Register(tracker, 10);
        Large = Register(tracker, 40);
    }

    /// <summary>distance, origin, destination and the label.</summary>
    public DataFrame Rows { get; }

    public ModelRegistration Small { get; }

    public ModelRegistration Large { get; }

    /// <summary>A new workspace with the small model as version 1 (@champion) and the large as version 2.</summary>
    public WorkspaceLocation NewWorkspace(out ModelRegistry registry)
    {
        var folder = Directory.CreateTempSubdirectory("notebookml-serving-").FullName;
        var workspace = new WorkspaceLocation(folder, Path.Combine(folder, ".notebookml")).EnsureCreated();
        registry = ModelRegistry.Open(workspace);
        registry.Register("delays", Small);
        registry.Register("delays", Large);
        registry.SetAlias("delays", "champion", 1);
        return workspace;
    }

    private ModelRegistration Register(Tracker tracker, int trees)
    {
        var trained = TabularTrainer.Train(Rows, new TrainingOptions { Label = "late", Tree = new TreeOptions { Trees = trees }, Threads = 2, Experiment = "serving" }, tracker: tracker);
        return ModelRegistrations.FromRun(tracker, trained.RunId!);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
