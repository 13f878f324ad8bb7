using Microsoft.DotNet.Interactive.Formatting;
using NotebookMl.Training.Tabular;

namespace NotebookMl.Extensions.Ml;

/// <summary>The ML extension's formatters, registered once per process by every host (our kernel, .NET Interactive).</summary>
public static class MlFormatters
{
    /// <summary>A trained model shown as a cell's value (metrics, importance, confusion matrix and charts), and Plotly.NET charts.</summary>
    public static void Register()
    {
        Formatter.Register<TrainedTabularModel>((model, writer) => writer.Write(new Training.TrainingReport(model).ToHtml()), "text/html");
        Formatter.Register<TrainedTabularModel>((model, writer) => writer.Write(new Training.TrainingReport(model).ToMimeBundle()[0].Value), "text/plain");
        Charts.ChartFormatters.Register();
    }
}
