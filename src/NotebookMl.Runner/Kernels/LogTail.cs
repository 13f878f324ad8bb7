namespace NotebookMl.Runner.Kernels;

/// <summary>The last lines a kernel wrote to stdout and stderr; safe to append to from any thread.</summary>
internal sealed class LogTail(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);
    private readonly object _sync = new();

    /// <summary>Adds a line, dropping the oldest once full.</summary>
    public void Add(string line)
    {
        lock (_sync)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    /// <summary>The lines kept, joined with newlines.</summary>
    public override string ToString()
    {
        lock (_sync)
        {
            return string.Join('\n', _lines);
        }
    }
}
