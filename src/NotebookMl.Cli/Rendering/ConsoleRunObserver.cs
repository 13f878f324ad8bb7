using System.Text.Json.Nodes;
using NotebookMl.Runner;
using NotebookMl.Runner.Kernels;
using Spectre.Console;

namespace NotebookMl.Cli.Rendering;

/// <summary>
/// Shows a run in the terminal: a live line per cell (cell i of n, its first line, elapsed) when
/// the terminal is interactive, plain lines in CI or when output is redirected; with
/// <c>--log-output</c>, cell output as it comes.
/// </summary>
internal sealed class ConsoleRunObserver(IAnsiConsole console, bool logOutput) : IRunObserver
{
    public void CellStarted(int position, int count, string firstLine) =>
        console.MarkupLine($"[grey][[{position}/{count}]][/] {Markup.Escape(firstLine)}");

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
        console.MarkupLine($"[grey][[{position}/{count}]][/] {status} [grey]{duration.TotalSeconds:0.00} s[/]");
    }
}
