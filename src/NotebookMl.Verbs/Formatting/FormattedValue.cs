namespace NotebookMl.Verbs.Formatting;

/// <summary>A value rendered for one MIME type, e.g. <c>text/html</c>.</summary>
public sealed record FormattedValue(string MimeType, string Value);
