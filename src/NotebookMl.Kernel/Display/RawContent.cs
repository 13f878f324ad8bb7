using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Display;

/// <summary>
/// Content shown as it is, not formatted: what <c>HTML("…")</c>, <c>Markdown("…")</c> and
/// <c>SVG("…")</c> return, and what <c>display(text, mimeType)</c> shows.
/// </summary>
/// <param name="MimeType">The content's MIME type, e.g. <c>text/html</c>.</param>
/// <param name="Content">The content itself: markup, not text to escape.</param>
public sealed record RawContent(string MimeType, string Content) : IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() =>
        MimeType == "text/plain" ? [new FormattedValue(MimeType, Content)] : [new FormattedValue(MimeType, Content), new FormattedValue("text/plain", Content)];

    /// <inheritdoc/>
    public override string ToString() => Content;
}
