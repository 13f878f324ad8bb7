using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookMl.Verbs.Formatting;

/// <summary>
/// Values that render themselves (<see cref="IMimeRenderable"/>: verb results, progress displays) as every host's Formatter
/// shows them: our kernel reads their bundle directly, .NET Interactive asks the Formatter, which these registrations answer.
/// </summary>
public static class MimeFormatters
{
    private static readonly Lazy<bool> s_registered = new(() =>
    {
        foreach (var mime in new[] { "text/html", "text/plain" })
        {
            Formatter.Register<IMimeRenderable>((value, writer) => writer.Write(Part(value, mime)), mime);
        }

        return true;
    });

    /// <summary>Registers the formatters (once per process).</summary>
    public static void Register() => _ = s_registered.Value;

    private static string Part(IMimeRenderable value, string mime)
    {
        var bundle = value.ToMimeBundle();
        return (bundle.FirstOrDefault(b => b.MimeType == mime) ?? bundle.First(b => b.MimeType == "text/plain")).Value;
    }
}
