using System.Globalization;
using System.Text.Json.Nodes;
using NotebookMl.Notebooks;
using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner;

/// <summary>
/// The executed notebook being written: outputs, execution counts and per-cell start, end,
/// duration and status (as <c>notebookml</c> and papermill metadata), saved atomically after
/// every cell so a killed run leaves everything up to the last cell.
/// </summary>
internal sealed class OutputNotebook
{
    private const string ErrorTag = "notebookml-error";
    private readonly string _path;
    private readonly List<NotebookCell> _cells;
    private readonly JsonObject _metadata;

    public OutputNotebook(NotebookDocument notebook, string path, string inputPath)
    {
        _path = path;
        _cells = notebook.Cells
            .Where(c => !c.Tags.Contains(ErrorTag))
            .Select(c => c.Kind == CellKind.Code ? c with { Outputs = [], ExecutionCount = null, Metadata = WithStatus(c.Metadata, "pending") } : c)
            .ToList();
        _metadata = notebook.Metadata.DeepClone().AsObject();
        Papermill["input_path"] = inputPath;
        Papermill["output_path"] = path;
        Papermill["exception"] = null;
        Template = notebook;
    }

    public IReadOnlyList<NotebookCell> Cells => _cells;

    private NotebookDocument Template { get; }

    private JsonObject Papermill => _metadata["papermill"] as JsonObject ?? (JsonObject)(_metadata["papermill"] = new JsonObject());

    public void Started(DateTimeOffset at) => Papermill["start_time"] = Iso(at);

    public void Finished(DateTimeOffset at, TimeSpan duration)
    {
        Papermill["end_time"] = Iso(at);
        Papermill["duration"] = Math.Round(duration.TotalSeconds, 3);
    }

    public void CellStarted(int index, DateTimeOffset at) =>
        _cells[index] = _cells[index] with { Metadata = WithTimes(_cells[index].Metadata, "running", at, null, null) };

    public void CellFinished(int index, CellExecution execution, IReadOnlyList<JsonObject> outputs, string status, DateTimeOffset start, DateTimeOffset end)
    {
        var cell = _cells[index];
        _cells[index] = cell with
        {
            Outputs = new JsonArray(outputs.Select(o => (JsonNode)o.DeepClone()).ToArray()),
            ExecutionCount = execution.ExecutionCount,
            Metadata = WithTimes(cell.Metadata, status, start, end, end - start),
        };
    }

    /// <summary>Marks the run failed at cell <paramref name="index"/>: a banner at the top names it, an anchor sits before it.</summary>
    public void Failed(int index, string message)
    {
        Papermill["exception"] = true;
        var anchor = NotebookCell.Markdown($"<span id=\"notebookml-error-cell\" style=\"color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;\">Execution using notebookml run stopped here: {System.Net.WebUtility.HtmlEncode(message)}</span>").WithTags([ErrorTag]);
        var banner = NotebookCell.Markdown($"<span style=\"color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;\">An exception was encountered at <a href=\"#notebookml-error-cell\">cell {index + 1}</a>.</span>").WithTags([ErrorTag]);
        _cells.Insert(index, anchor);
        _cells.Insert(0, banner);
    }

    public void Save() => NotebookFile.Write(Template with { Cells = _cells.ToArray(), Metadata = _metadata }, _path);

    private static JsonObject WithStatus(JsonObject metadata, string status) => WithTimes(metadata, status, null, null, null);

    private static JsonObject WithTimes(JsonObject metadata, string status, DateTimeOffset? start, DateTimeOffset? end, TimeSpan? duration)
    {
        var copy = metadata.DeepClone().AsObject();
        copy["notebookml"] = new JsonObject
        {
            ["status"] = status,
            ["start_time"] = start is { } s ? Iso(s) : null,
            ["end_time"] = end is { } e ? Iso(e) : null,
            ["duration"] = duration is { } d ? Math.Round(d.TotalSeconds, 3) : null,
        };
        copy["papermill"] = new JsonObject
        {
            ["status"] = status switch { "ok" => "completed", "error" or "timed out" or "kernel died" => "failed", _ => status },
            ["start_time"] = start is { } s2 ? Iso(s2) : null,
            ["end_time"] = end is { } e2 ? Iso(e2) : null,
            ["duration"] = duration is { } d2 ? Math.Round(d2.TotalSeconds, 3) : null,
            ["exception"] = status is "error" or "timed out" or "kernel died",
        };
        return copy;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
}
