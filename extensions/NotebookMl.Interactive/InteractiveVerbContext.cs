using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using NotebookMl.Verbs;
using FormattedValue = Microsoft.DotNet.Interactive.Formatting.FormattedValue;
using NotebookMl.Verbs.Formatting;
using NotebookMl.Verbs.Progress;

namespace NotebookMl.Interactive;

/// <summary>
/// Where a verb's results go in .NET Interactive: displays (formatted by NotebookMl's formatters, every
/// MIME type at once), text on stdout, and progress as the notebookml kernel's progress display,
/// updated in place.
/// </summary>
internal sealed class InteractiveVerbContext(KernelInvocationContext? context, KernelCommand? command) : IVerbContext
{
    /// <inheritdoc/>
    public void Display(object value) => context?.Publish(new DisplayedValueProduced(value, command!, Bundle(value), Guid.NewGuid().ToString("N")));

    /// <inheritdoc/>
    public void WriteLine(string text) =>
        context?.Publish(new StandardOutputValueProduced(command!, [new FormattedValue("text/plain", text + "\n")]));

    /// <summary>The notebookml kernel's progress display (bar, stage, metric curves), shown here and updated in place.</summary>
    public ProgressDisplay StartProgress(string title)
    {
        var id = Guid.NewGuid().ToString("N");
        var starting = ProgressDisplay.Starting(title);
        context?.Publish(new DisplayedValueProduced(starting, command!, Bundle(starting), id));
        return new ProgressDisplay(title, r => context?.Publish(new DisplayedValueUpdated(r, id, command!, Bundle(r))), TimeProvider.System);
    }

    /// <inheritdoc/>
    public T WithProgress<T>(string title, Func<IProgress<ProgressUpdate>, T> work)
    {
        var progress = StartProgress(title);
        try
        {
            return work(progress);
        }
        finally
        {
            progress.Flush();
        }
    }

    private static FormattedValue[] Bundle(object value) =>
        ValueFormatter.Format(value).Select(v => new FormattedValue(v.MimeType, v.Value)).ToArray();
}
