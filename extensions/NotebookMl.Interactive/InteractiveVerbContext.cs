using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Kernel.Verbs;
using FormattedValue = Microsoft.DotNet.Interactive.Formatting.FormattedValue;

namespace NotebookMl.Interactive;

/// <summary>
/// Where a verb's results go in .NET Interactive: displays (formatted by NotebookMl's formatters, every
/// MIME type at once), text on stdout, and progress as one display updated in place.
/// </summary>
internal sealed class InteractiveVerbContext(KernelInvocationContext? context, KernelCommand? command) : IVerbContext, IProgressHost
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(250);

    /// <inheritdoc/>
    public void Display(object value) => Publish(id => new DisplayedValueProduced(value, command!, Bundle(value), id));

    /// <inheritdoc/>
    public void WriteLine(string text) =>
        context?.Publish(new StandardOutputValueProduced(command!, [new FormattedValue("text/plain", text + "\n")]));

    /// <inheritdoc/>
    public T Run<T>(string title, Func<IProgress<ProgressUpdate>, T> work)
    {
        var id = Guid.NewGuid().ToString("N");
        var shown = $"{title}: starting";
        context?.Publish(new DisplayedValueProduced(shown, command!, [new FormattedValue("text/plain", shown)], id));
        long? last = null;
        var progress = new Progress(update =>
        {
            if (last is { } at && TimeProvider.System.GetElapsedTime(at) < s_progressInterval && update.Fraction < 1)
            {
                return;
            }

            last = TimeProvider.System.GetTimestamp();
            var text = update.Metric is null
                ? $"{title}: {update.Stage} ({update.Fraction:P0})"
                : $"{title}: {update.Stage} ({update.Fraction:P0}), {update.Metric} {update.Value:G5} at {update.Step:G}";
            context?.Publish(new DisplayedValueUpdated(text, id, command!, [new FormattedValue("text/plain", text)]));
        });
        var result = work(progress);
        context?.Publish(new DisplayedValueUpdated($"{title}: done", id, command!, [new FormattedValue("text/plain", $"{title}: done")]));
        return result;
    }

    private static FormattedValue[] Bundle(object value) =>
        ValueFormatter.Format(value).Select(v => new FormattedValue(v.MimeType, v.Value)).ToArray();

    private void Publish(Func<string, KernelEvent> create) => context?.Publish(create(Guid.NewGuid().ToString("N")));

    private sealed class Progress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }
}
