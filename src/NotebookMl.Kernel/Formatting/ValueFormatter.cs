using Microsoft.DotNet.Interactive.Formatting;
using NotebookMl.Kernel.Events;

namespace NotebookMl.Kernel.Formatting;

/// <summary>Renders values through the Formatter API into MIME bundles.</summary>
public static class ValueFormatter
{
    private const string PlainText = "text/plain";
    private const string Html = "text/html";

    /// <summary>
    /// Formats <paramref name="value"/> for the requested MIME types; with none requested, plain text
    /// always and HTML too where the Formatter prefers it (objects, sequences, tables).
    /// </summary>
    public static IReadOnlyList<FormattedValue> Format(object? value, IReadOnlyList<string>? mimeTypes = null)
    {
        if (value is IMimeRenderable renderable)
        {
            var bundle = renderable.ToMimeBundle();
            return mimeTypes is { Count: > 0 } ? bundle.Where(b => mimeTypes.Contains(b.MimeType)).ToArray() : bundle;
        }

        if (mimeTypes is { Count: > 0 })
        {
            return mimeTypes.Select(m => new FormattedValue(m, Formatter.ToDisplayString(value, m))).ToArray();
        }

        var plain = new FormattedValue(PlainText, Formatter.ToDisplayString(value, PlainText));
        if (value is null || IsScalar(value.GetType()) || !Formatter.GetPreferredMimeTypesFor(value.GetType()).Contains(Html))
        {
            return [plain];
        }

        return [plain, new FormattedValue(Html, Formatter.ToDisplayString(value, Html))];
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);
}
