using NotebookMl.Verbs;
using NotebookMl.Training.Tabular;
using NotebookMl.Verbs.Progress;

namespace NotebookMl.Extensions.Ml.Training;

/// <summary>
/// An updating display of training in the running cell (progress bar, stage, loss and validation
/// curves), for the C# API: <c>TabularTrainer.Train(frame, options, learner, LiveProgress.Show("mlp"))</c>.
/// </summary>
public static class LiveProgress
{
    public static IProgress<TrainingProgress> Show(string title)
    {
        var display = ProgressDisplay.Start(title);
        return new Adapter(display);
    }

    private sealed class Adapter(ProgressDisplay display) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            display.Report(new ProgressUpdate(value.Stage, value.Fraction, value.Metric, value.Step, value.Value));
            if (value.Fraction >= 1)
            {
                display.Flush();
            }
        }
    }
}
