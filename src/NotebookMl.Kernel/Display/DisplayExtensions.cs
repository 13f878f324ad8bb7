using NotebookMl.Kernel.Execution;

namespace NotebookMl.Kernel.Display;

/// <summary><c>x.Display()</c>, as in .NET Interactive.</summary>
public static class DisplayExtensions
{
    /// <summary>Shows <paramref name="value"/> in the running cell's output.</summary>
    /// <returns>A handle whose <see cref="DisplayHandle.Update"/> replaces this output.</returns>
    public static DisplayHandle Display(this object? value, params string[] mimeTypes)
    {
        var context = SubmissionContext.Current?.Target
            ?? throw new InvalidOperationException("display() works only inside a running cell.");
        return context.Display(value, mimeTypes);
    }
}
