namespace NotebookMl.Serving.Predictions;

/// <summary>
/// The rows of one model and day waiting to be written, held column by column: each answered request is copied into
/// typed arrays when it is appended, so the requests themselves are not kept (and the garbage collector has a few large
/// arrays to look at, not every request's objects). A tensor of N rows gives each row its slice: one column for [N] or
/// [N, 1], NAME_0, NAME_1, … for wider rows; floats as doubles (NaN as null), integers as int64. Not thread-safe: the log
/// appends under its lock.
/// </summary>
internal sealed class PredictionBuffer
{
    private readonly Dictionary<string, PredictionColumn> _byName = new(StringComparer.Ordinal);
    private readonly PredictionColumn[] _fixed;
    private int _capacity;

    public PredictionBuffer(string model, DateOnly day)
    {
        (Model, Day) = (model, day);
        _fixed = [Time, Version, Route, Entry, RequestId, Row, Latency, Fallback, Error];
    }

    public string Model { get; }

    public DateOnly Day { get; }

    public int Rows { get; private set; }

    public DateTime Last { get; private set; }

    public PredictionColumn Time { get; } = new("time", PredictionColumnKind.Time);

    public PredictionColumn Version { get; } = new("version", PredictionColumnKind.Integer);

    public PredictionColumn Route { get; } = new("route", PredictionColumnKind.Text);

    public PredictionColumn Entry { get; } = new("entry", PredictionColumnKind.Integer);

    public PredictionColumn RequestId { get; } = new("request_id", PredictionColumnKind.Text);

    public PredictionColumn Row { get; } = new("row", PredictionColumnKind.Integer);

    public PredictionColumn Latency { get; } = new("latency_ms", PredictionColumnKind.Double);

    public PredictionColumn Fallback { get; } = new("fallback", PredictionColumnKind.Text);

    public PredictionColumn Error { get; } = new("error", PredictionColumnKind.Text);

    /// <summary>The input and output columns, in the order they first appeared.</summary>
    public List<PredictionColumn> Tensors { get; } = [];

    public void Add(PredictionRecord record)
    {
        var rows = (int)(record.Request.Inputs.FirstOrDefault(t => t.Shape.Length > 0)?.Shape[0] ?? 1);
        var at = Rows;
        var end = at + rows;
        if (end > _capacity)
        {
            _capacity = Math.Max(end, Math.Max(1024, _capacity * 2));
            foreach (var column in _fixed)
            {
                column.Reserve(_capacity);
            }

            foreach (var column in Tensors)
            {
                column.Reserve(_capacity);
            }
        }

        for (var r = 0; r < rows; r++)
        {
            Time.Times![at + r] = record.Time;
            Version.Longs![at + r] = record.Version;
            Route.Texts![at + r] = record.Route;
            Entry.Longs![at + r] = record.Entry;
            RequestId.Texts![at + r] = record.Request.Id;
            Row.Longs![at + r] = r;
            Latency.Doubles![at + r] = record.LatencyMs;
            Fallback.Texts![at + r] = record.Fallback;
            Error.Texts![at + r] = record.Error;
        }

        foreach (var tensor in record.Request.Inputs)
        {
            AddTensor(tensor, at, rows);
        }

        foreach (var tensor in record.Outputs)
        {
            AddTensor(tensor, at, rows);
        }

        Rows = end;
        Last = record.Time;
    }

    /// <summary>Empties the buffer for reuse, keeping its arrays (allocating them anew every flush would churn the large object heap).</summary>
    public void Reset()
    {
        foreach (var column in Fixed().Concat(Tensors))
        {
            column.Clear(Rows);
        }

        Rows = 0;
    }

    /// <summary>Text of the entry column, reused between flushes.</summary>
    public string?[] EntryTexts { get; set; } = [];

    public IEnumerable<PredictionColumn> Fixed() => _fixed;

    private void AddTensor(Protocol.InferTensor tensor, int at, int rows)
    {
        var width = rows == 0 ? 0 : tensor.Data.Length / rows;
        for (var k = 0; k < width; k++)
        {
            var name = width == 1 ? tensor.Name : $"{tensor.Name}_{k}";
            if (!_byName.TryGetValue(name, out var column))
            {
                // A column first seen now: null in the rows before.
                column = _byName[name] = new PredictionColumn(name, PredictionColumn.KindOf(tensor.DataType));
                column.Reserve(_capacity);
                Tensors.Add(column);
            }

            column.Fill(tensor.Data, at, rows, width, k);
        }
    }
}
