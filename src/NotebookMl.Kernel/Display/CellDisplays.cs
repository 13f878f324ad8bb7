using Microsoft.DotNet.Interactive.Formatting;
using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Execution;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Display;

/// <summary>
/// Displays in the running cell's output: <c>display(x)</c> and <c>x.Display()</c>. The Formatting
/// package has its own <c>x.Display()</c> (<c>System.DisplayExtensions</c>, for <c>object</c>); this
/// generic one is the better match for any typed value, so cells get a <see cref="DisplayHandle"/>.
/// A value typed <c>object</c> takes the package's, whose displays (and updates) reach the running cell
/// through <see cref="Formatter.SubscribeToDisplayedValues"/>.
/// </summary>
public static class CellDisplays
{
    private static readonly Lazy<bool> s_subscription = new(() =>
    {
        Formatter.SubscribeToDisplayedValues(Show);
        return true;
    });

    /// <summary>Shows <paramref name="value"/> in the running cell's output, as in .NET Interactive.</summary>
    /// <returns>A handle whose <see cref="DisplayHandle.Update"/> replaces this output.</returns>
    public static DisplayHandle Display<T>(this T value, params string[] mimeTypes) => Show(value, mimeTypes);

    /// <summary>Shows <paramref name="value"/> in the running cell's output.</summary>
    /// <returns>A handle whose <see cref="DisplayHandle.Update"/> replaces this output.</returns>
    public static DisplayHandle Show(object? value, params string[] mimeTypes)
    {
        var context = SubmissionContext.Current?.Target
            ?? throw new InvalidOperationException("display() works only inside a running cell.");
        return context.Display(value, mimeTypes);
    }

    /// <summary>Routes the Formatting package's <c>x.Display()</c> and <c>DisplayedValue.Update</c> to the running cell (once per process).</summary>
    internal static void SubscribeToFormatter() => _ = s_subscription.Value;

    private static void Show(DisplayedValue displayed)
    {
        if (SubmissionContext.Current?.Target is not { } context)
        {
            return;
        }

        // Formatted as this kernel formats every value (plain text always, and the preferred rich types).
        var values = ValueFormatter.Format(displayed.Value);
        context.Publish(displayed.IsUpdated
            ? new DisplayedValueUpdated(values, displayed.DisplayId)
            : new DisplayedValueProduced(values, displayed.DisplayId));
    }
}
