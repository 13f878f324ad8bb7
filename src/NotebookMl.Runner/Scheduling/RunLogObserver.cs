using System.Text.Json.Nodes;
using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// Writes a run's log (<c>run.log</c>): timestamped lines for the run and each cell, and every
/// output's text as it comes, flushed at once so a killed run's log is complete up to the kill.
/// </summary>
internal sealed class RunLogObserver : IRunObserver, IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();

    public RunLogObserver(string path, TimeProvider timeProvider)
    {
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
        _timeProvider = timeProvider;
    }

    public void Line(string text)
    {
        lock (_gate)
        {
            _writer.WriteLine($"{_timeProvider.GetUtcNow().UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {text}");
        }
    }

    public void CellStarted(int position, int count, string firstLine) => Line($"cell {position}/{count} started: {firstLine}");

    public void CellOutput(JsonObject output)
    {
        var text = output["output_type"]?.GetValue<string>() switch
        {
            "stream" => output["text"]?.GetValue<string>(),
            "execute_result" or "display_data" or "update_display_data" => output["data"]?["text/plain"]?.GetValue<string>(),
            "error" => string.Join("\n", output["traceback"]?.AsArray().Select(l => l?.GetValue<string>()) ?? []),
            _ => null,
        };
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        lock (_gate)
        {
            foreach (var line in text.TrimEnd('\n').Split('\n'))
            {
                _writer.WriteLine($"    | {line}");
            }
        }
    }

    public void CellFinished(int position, int count, CellExecution execution, TimeSpan duration) =>
        Line($"cell {position}/{count} {(execution.Status == "ok" ? "ok" : execution.ErrorName ?? execution.Status)} in {duration.TotalSeconds:0.00} s");

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
