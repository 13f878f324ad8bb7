using System.Globalization;
using System.Text.Json.Nodes;
using NotebookMl.Notebooks;

namespace NotebookMl.Runner.Parameters;

/// <summary>
/// Papermill's parameter model: the cell tagged <c>parameters</c> holds the defaults; a cell tagged
/// <c>injected-parameters</c> is inserted right after it (replacing one from an earlier run) with
/// the given values, and the values are recorded in the notebook's metadata (<c>papermill.parameters</c>
/// and <c>notebookml.parameters</c>).
/// </summary>
public static class ParameterInjector
{
    /// <summary>The tag of the cell holding the defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the cell the runner writes.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>The parameters declared by the notebook's <c>parameters</c> cell (none when it has no such cell).</summary>
    public static IReadOnlyList<NotebookParameter> Declared(NotebookDocument notebook, ParameterLanguage language) =>
        notebook.Cells.FirstOrDefault(IsParametersCell) is { } cell ? ParameterCellReader.Read(cell.Source, language) : [];

    /// <summary>
    /// Types the given values by the declarations: <paramref name="fromCommandLine"/> (<c>-p NAME VALUE</c>,
    /// later wins) override <paramref name="fromFile"/> (<c>-f</c>). An undeclared name is an error unless <paramref name="allowExtra"/>.
    /// </summary>
    public static IReadOnlyList<(string Name, ParameterType Type, object Value)> Resolve(
        IReadOnlyList<NotebookParameter> declared,
        JsonObject? fromFile,
        IReadOnlyList<KeyValuePair<string, string>> fromCommandLine,
        bool allowExtra)
    {
        var values = new Dictionary<string, (ParameterType Type, object Value)>(StringComparer.Ordinal);
        foreach (var (name, node) in fromFile ?? [])
        {
            // An undeclared value from a file keeps its JSON/YAML kind: a string stays a string.
            var type = TypeOf(name, declared, allowExtra, () => node is JsonValue v && v.TryGetValue<string>(out _) ? ParameterType.String : ParameterValues.Infer(node?.ToJsonString() ?? ""));
            values[name] = (type, ParameterValues.FromNode(name, node, type));
        }

        foreach (var (name, text) in fromCommandLine)
        {
            var type = TypeOf(name, declared, allowExtra, () => ParameterValues.Infer(text));
            values[name] = (type, ParameterValues.Parse(name, text, type));
        }

        return values.Select(v => (v.Key, v.Value.Type, v.Value.Value)).ToArray();
    }

    /// <summary>The notebook with the injected-parameters cell and the metadata; unchanged when there are no values.</summary>
    public static NotebookDocument Inject(NotebookDocument notebook, ParameterLanguage language, IReadOnlyList<(string Name, ParameterType Type, object Value)> values)
    {
        if (values.Count == 0)
        {
            return notebook;
        }

        var cells = notebook.Cells.Where(c => !c.Tags.Contains(InjectedTag)).ToList();
        var after = cells.FindIndex(IsParametersCell);
        var injected = NotebookCell.Code(ParameterWriter.Write(language, values)).WithTags([InjectedTag]);
        if (notebook.Cells.FirstOrDefault(c => c.Tags.Contains(InjectedTag))?.Language is { } kernelName)
        {
            injected = injected.WithLanguage(kernelName);
        }
        else if (after >= 0 && cells[after].Language is { } parametersLanguage)
        {
            injected = injected.WithLanguage(parametersLanguage);
        }

        cells.Insert(after + 1, injected);
        var metadata = notebook.Metadata.DeepClone().AsObject();
        var recorded = new JsonObject();
        foreach (var (name, _, value) in values)
        {
            recorded[name] = ToJson(value);
        }

        var papermill = metadata["papermill"] as JsonObject ?? [];
        papermill["parameters"] = recorded.DeepClone();
        metadata["papermill"] = papermill;
        var notebookml = metadata["notebookml"] as JsonObject ?? [];
        notebookml["parameters"] = recorded;
        metadata["notebookml"] = notebookml;
        return notebook with { Cells = cells, Metadata = metadata };
    }

    private static bool IsParametersCell(NotebookCell cell) => cell.Kind == CellKind.Code && cell.Tags.Contains(ParametersTag);

    private static ParameterType TypeOf(string name, IReadOnlyList<NotebookParameter> declared, bool allowExtra, Func<ParameterType> infer)
    {
        if (declared.FirstOrDefault(p => p.Name == name) is { } parameter)
        {
            return parameter.Type;
        }

        if (!allowExtra)
        {
            var known = declared.Count == 0
                ? "it has no cell tagged 'parameters'"
                : "its parameters are: " + string.Join(", ", declared.Select(p => $"{p.Name} ({p.Type.ToString().ToLowerInvariant()})"));
            throw new ParameterException($"the notebook declares no parameter '{name}'; {known}.", nameof(RunOptions.AllowExtraParameters));
        }

        return infer();
    }

    private static JsonNode? ToJson(object value) => value switch
    {
        DateTime t => JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture)),
        int[] items => new JsonArray(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
        double[] items => new JsonArray(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
        string[] items => new JsonArray(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(value.ToString()),
    };
}
