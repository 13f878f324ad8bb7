
namespace NotebookMl.Verbs.Formatting;

/// <summary>A value that renders itself as a MIME bundle (several types at once, e.g. HTML with charts and plain text).</summary>
public interface IMimeRenderable
{
    /// <summary>The bundle to show, <c>text/plain</c> included.</summary>
    IReadOnlyList<FormattedValue> ToMimeBundle();
}
