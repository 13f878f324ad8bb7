using NotebookMl.Kernel.Execution;

namespace NotebookMl.Kernel.Display;

/// <summary>
/// Members every cell can use without a prefix: <c>display(x)</c>, the kernel and the cell's
/// cancellation token (cancelled when the user interrupts).
/// </summary>
public sealed class KernelGlobals
{
    internal KernelGlobals(CSharpKernel kernel) => Kernel = kernel;

    /// <summary>The kernel running this notebook.</summary>
    public CSharpKernel Kernel { get; }

    /// <summary>Cancelled when the user interrupts the running cell; pass it to long awaits.</summary>
    public CancellationToken CancellationToken => SubmissionContext.Current?.CancellationToken ?? CancellationToken.None;

    /// <summary>Shows <paramref name="value"/> now, rendered for <paramref name="mimeTypes"/> (default: plain text and HTML where richer).</summary>
    /// <returns>A handle whose <see cref="DisplayHandle.Update"/> replaces this output.</returns>
#pragma warning disable IDE1006 // lower case, as .NET Interactive and IPython users type it
    public DisplayHandle display(object? value, params string[] mimeTypes) => CellDisplays.Show(value, mimeTypes);
#pragma warning restore IDE1006

    /// <summary>HTML shown as markup, as in .NET Interactive: <c>HTML("&lt;b&gt;bold&lt;/b&gt;")</c>.</summary>
#pragma warning disable CA1822 // instance members, so that cells see them without a prefix
    public RawContent HTML(string html) => new("text/html", html);

    /// <summary>Markdown rendered by the front-end.</summary>
    public RawContent Markdown(string markdown) => new("text/markdown", markdown);

    /// <summary>An SVG image from its markup.</summary>
    public RawContent SVG(string svg) => new("image/svg+xml", svg);
#pragma warning restore CA1822
}
