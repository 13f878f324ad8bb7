using Microsoft.DotNet.Interactive.Formatting;
using FormattedValue = NotebookMl.Verbs.Formatting.FormattedValue;

namespace NotebookMl.Verbs.Formatting;

/// <summary>Renders values through the Formatter API into MIME bundles.</summary>
public static class ValueFormatter
{
    private const string PlainText = "text/plain";

    /// <summary>
    /// Formats <paramref name="value"/> for the requested MIME types; with none requested, plain text
    /// always and, for anything but a scalar, every other type the Formatter prefers for it (HTML for
    /// objects, sequences and tables; HTML and the Plotly figure for a chart).
    /// </summary>
    public static IReadOnlyList<FormattedValue> Format(object? value, IReadOnlyList<string>? mimeTypes = null)
    {
        if (value is IMimeRenderable renderable)
        {
            var bundle = renderable.ToMimeBundle();
            return mimeTypes is { Count: > 0 } ? bundle.Where(b => mimeTypes.Contains(b.MimeType)).ToArray() : bundle;
        }

        if (value is string raw && mimeTypes is { Count: > 0 })
        {
            // display(text, "text/html"): the text is the content itself, as in .NET Interactive and IPython's raw display.
            return mimeTypes.Select(m => new FormattedValue(m, raw)).ToArray();
        }

        if (mimeTypes is { Count: > 0 })
        {
            return mimeTypes.Select(m => new FormattedValue(m, Formatter.ToDisplayString(value, m))).ToArray();
        }

        var plain = new FormattedValue(PlainText, Formatter.ToDisplayString(value, PlainText));
        if (value is null || IsScalar(value.GetType()))
        {
            return [plain];
        }

        var preferred = Formatter.GetPreferredMimeTypesFor(value.GetType()).Where(m => m != PlainText).Distinct().ToArray();
        return [plain, .. preferred.Select(m => new FormattedValue(m, Formatter.ToDisplayString(value, m)))];
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);
}
