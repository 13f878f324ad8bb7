using System.Text;
using NotebookMl.Kernel.Events;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Replaces <see cref="Console.Out"/>, <see cref="Console.Error"/> and <see cref="Console.In"/> once
/// per process with writers that send text to the running cell (live, as events) and readers that
/// ask the front-end for input. Code outside any cell (the host's own logging) still reaches the
/// real console.
/// </summary>
internal static class ConsoleRouter
{
    // Once per process: the console is the process's own.
    private static readonly Lazy<bool> s_installed = new(() =>
    {
        Console.SetOut(new RoutingWriter(StandardStream.Output, Console.Out));
        Console.SetError(new RoutingWriter(StandardStream.Error, Console.Error));
        Console.SetIn(new RoutingReader(Console.In));
        return true;
    });

    public static void Install() => _ = s_installed.Value;

    private sealed class RoutingWriter(StandardStream stream, TextWriter original) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            var target = SubmissionContext.Current?.Target;
            if (target is null)
            {
                original.Write(value);
            }
            else
            {
                target.Write(stream, value);
            }
        }

        public override void WriteLine(string? value) => Write(value + "\n");

        public override void WriteLine() => Write("\n");

        public override void Flush()
        {
            var target = SubmissionContext.Current?.Target;
            if (target is null)
            {
                original.Flush();
            }
        }
    }

    private sealed class RoutingReader(TextReader original) : TextReader
    {
        private string? _pending;

        public override string? ReadLine()
        {
            if (_pending is not null)
            {
                var rest = _pending;
                _pending = null;
                return rest.TrimEnd('\n');
            }

            var target = SubmissionContext.Current?.Target;
            if (target is null)
            {
                return original.ReadLine();
            }

            if (target.InputProvider is null)
            {
                throw new InvalidOperationException(
                    "Console.ReadLine() needs a front-end that accepts input, and this one does not (Jupyter allow_stdin is false).");
            }

            var prompt = target.TakePendingPrompt();
            target.FlushStreams();
            return target.InputProvider(prompt, false, target.CancellationToken).GetAwaiter().GetResult();
        }

        public override int Read()
        {
            _pending ??= ReadLine() is { } line ? line + "\n" : null;
            if (string.IsNullOrEmpty(_pending))
            {
                _pending = null;
                return -1;
            }

            var next = _pending[0];
            _pending = _pending.Length > 1 ? _pending[1..] : null;
            return next;
        }

        public override int Peek() => _pending is { Length: > 0 } ? _pending[0] : -1;
    }
}
