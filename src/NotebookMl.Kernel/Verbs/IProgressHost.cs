namespace NotebookMl.Kernel.Verbs;

/// <summary>One report of long work: the stage, how far along (0–1), and optionally a point of a metric's curve.</summary>
public sealed record ProgressUpdate(string Stage, double Fraction, string? Metric = null, double Step = 0, double Value = 0);

/// <summary>
/// A verb context that can show progress of long work: a progress bar in a terminal (Spectre.Console),
/// an updating display with the metric curves in a notebook.
/// </summary>
public interface IProgressHost
{
    /// <summary>Runs <paramref name="work"/>, showing what it reports.</summary>
    T Run<T>(string title, Func<IProgress<ProgressUpdate>, T> work);
}
