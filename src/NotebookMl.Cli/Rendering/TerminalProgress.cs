using System.Globalization;
using NotebookMl.Verbs;
using Spectre.Console;

namespace NotebookMl.Cli.Rendering;

/// <summary>Progress in a terminal: a Spectre.Console bar with the stage and the latest metric; on a redirected or JSON run, a line per stage and metric on stderr.</summary>
internal static class TerminalProgress
{
    public static T Run<T>(IAnsiConsole console, bool interactive, string title, Func<IProgress<ProgressUpdate>, T> work)
    {
        if (!interactive)
        {
            return work(new Lines(Terminal.Error));
        }

        var result = default(T)!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: 1);
                result = work(new Bar(task, title));
                task.Value = 1;
            });
        return result;
    }

    private sealed class Bar(ProgressTask task, string title) : IProgress<ProgressUpdate>
    {
        private string _metric = string.Empty;

        public void Report(ProgressUpdate value)
        {
            if (value.Metric is { } metric)
            {
                _metric = string.Create(CultureInfo.InvariantCulture, $" · {metric} {value.Value:0.####}");
            }

            task.Value = Math.Clamp(value.Fraction, 0, 1);
            task.Description = Markup.Escape($"{title}: {value.Stage}{_metric}");
        }
    }

    private sealed class Lines(TextWriter writer) : IProgress<ProgressUpdate>
    {
        private string _stage = string.Empty;

        public void Report(ProgressUpdate value)
        {
            if (value.Metric is { } metric)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value.Fraction,4:P0} {metric} {value.Value:0.#####} at {value.Step:0.##}"));
            }
            else if (value.Stage != _stage)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value.Fraction,4:P0} {value.Stage}"));
                _stage = value.Stage;
            }
        }
    }
}
