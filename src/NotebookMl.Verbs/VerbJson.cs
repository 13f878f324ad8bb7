using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Verbs;

/// <summary>
/// <c>--json</c>, the same in every host: a verb's result as one JSON document (its
/// <see cref="IVerbResult.ToJson"/>) instead of tables. The CLI writes it to stdout; a notebook shows it
/// as <c>application/json</c> and as text, so the three hosts give the same document.
/// </summary>
public static class VerbJson
{
    // Relaxed escaping: quotes, <, > and non-ASCII text appear as themselves (the output is a document, not HTML).
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A new <c>--json</c> option (recursive: it applies to subcommands).</summary>
    public static Option<bool> CreateOption() => new("--json") { Description = "Write results as JSON instead of text tables.", Recursive = true };

    /// <summary>The JSON document of <paramref name="value"/>: an <see cref="IVerbResult"/>'s own, a table's rows, or the value.</summary>
    public static string Serialize(object value) => JsonSerializer.Serialize(
        value switch
        {
            IVerbResult result => result.ToJson(),
            Table table => new { title = table.Title, rows = table.Rows.Select(r => table.Columns.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToArray() },
            _ => value,
        },
        s_options);

    /// <summary>A context that shows every result of the verb as its JSON document.</summary>
    public static IVerbContext AsJson(IVerbContext context) => new JsonContext(context);

    private sealed class JsonContext(IVerbContext inner) : IVerbContext
    {
        public void Display(object value) => inner.Display(new JsonDocumentValue(Serialize(value)));

        public void WriteLine(string text) => inner.WriteLine(text);

        public T WithProgress<T>(string title, Func<IProgress<ProgressUpdate>, T> work) => inner.WithProgress(title, work);
    }

    private sealed record JsonDocumentValue(string Json) : IMimeRenderable
    {
        public IReadOnlyList<FormattedValue> ToMimeBundle() => [new("application/json", Json), new("text/plain", Json)];
    }
}
