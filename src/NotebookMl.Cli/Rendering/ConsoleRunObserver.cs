using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookMl.Runner;
using NotebookMl.Runner.Kernels;
using Spectre.Console;

namespace NotebookMl.Cli.Rendering;

/// <summary>
/// Shows a run in the terminal: a line per finished cell and, in an interactive terminal, a live
/// status (cell i of n, its first line, elapsed) through Spectre.Console; plain lines only in CI or
/// when output is redirected. With <c>--log-output</c>, cell output as it comes.
/// </summary>
internal sealed class ConsoleRunObserver(IAnsiConsole console, bool logOutput) : IRunObserver
{
    private readonly Stopwatch _cellClock = new();
    private StatusContext? _status;
    private string _current = "";

    /// <summary>Runs <paramref name="run"/> under a live status line when interactive.</summary>
    public async Task<T> ShowAsync<T>(Func<Task<T>> run)
    {
        if (!Terminal.Interactive)
        {
            return await run();
        }

        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync("starting the kernel…", async context =>
        {
            _status = context;
            using var ticker = new Timer(_ => Refresh(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
            return await run();
        });
    }

    public void CellStarted(int position, int count, string firstLine)
    {
        _current = $"cell {position}/{count}: {Markup.Escape(firstLine)}";
        _cellClock.Restart();
        if (_status is null)
        {
            console.MarkupLine($"[grey][[{position}/{count}]][/] {Markup.Escape(firstLine)}");
        }

        Refresh();
    }

    public void CellOutput(JsonObject output)
    {
        if (!logOutput)
        {
            return;
        }

        var text = output["output_type"]?.GetValue<string>() switch
        {
            "stream" => output["text"]?.GetValue<string>(),
            "execute_result" or "display_data" => output["data"]?["text/plain"]?.GetValue<string>() + "\n",
            "error" => string.Join("\n", output["traceback"]?.AsArray().Select(l => l?.GetValue<string>()) ?? []) + "\n",
            _ => null,
        };
        if (!string.IsNullOrEmpty(text))
        {
            console.Write(new Text(text));
        }
    }

    public void CellFinished(int position, int count, CellExecution execution, TimeSpan duration)
    {
        var status = execution.Status == "ok" ? "[green]ok[/]" : $"[red]{Markup.Escape(execution.ErrorName ?? execution.Status)}[/]";
        var what = _status is null ? "" : " " + _current;
        console.MarkupLine($"[grey][[{position}/{count}]][/] {status} [grey]{duration.TotalSeconds:0.00} s[/]{what}");
    }

    private void Refresh() => _status?.Status($"{_current} [grey]{_cellClock.Elapsed.TotalSeconds:0.0} s[/]");
}
