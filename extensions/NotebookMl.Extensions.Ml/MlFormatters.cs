using Microsoft.DotNet.Interactive.Formatting;
using NotebookMl.Core.Registry;
using NotebookMl.Training.Tabular;
using NotebookMl.Core.Registry.Promotion;

namespace NotebookMl.Extensions.Ml;

/// <summary>The ML extension's formatters, registered once per process by every host (our kernel, .NET Interactive).</summary>
public static class MlFormatters
{
    /// <summary>
    /// A trained model shown as a cell's value (metrics, importance, confusion matrix and charts), a registered version
    /// (its model card) and a promotion (every gate), and Plotly.NET charts.
    /// </summary>
    public static void Register()
    {
        Formatter.Register<TrainedTabularModel>((model, writer) => writer.Write(new Training.TrainingReport(model).ToHtml()), "text/html");
        Formatter.Register<TrainedTabularModel>((model, writer) => writer.Write(new Training.TrainingReport(model).ToMimeBundle()[0].Value), "text/plain");
        Register<ModelVersion>(v => new Models.ModelVersionResult(v));
        Register<PromotionResult>(p => new Models.PromotionDisplay(p));
        Charts.ChartFormatters.Register();
        NotebookMl.Verbs.Formatting.MimeFormatters.Register();
    }

    private static void Register<T>(Func<T, NotebookMl.Verbs.Formatting.IMimeRenderable> display)
    {
        foreach (var mime in new[] { "text/html", "text/plain" })
        {
            Formatter.Register<T>((value, writer) => writer.Write(display(value).ToMimeBundle().First(b => b.MimeType == mime).Value), mime);
        }
    }
}
