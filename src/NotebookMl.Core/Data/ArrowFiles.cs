using Apache.Arrow.Ipc;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Data;

/// <summary>Arrow IPC files (Feather v2) read into a DataFrame.</summary>
public static class ArrowFiles
{
    /// <summary>Reads every record batch of the file at <paramref name="path"/>.</summary>
    public static DataFrame Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new ArrowFileReader(stream);
        DataFrame? frame = null;
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            var part = DataFrame.FromArrowRecordBatch(batch);
            frame = frame is null ? part : frame.Append(part.Rows, inPlace: false);
        }

        return frame ?? throw new InvalidDataException($"{path}: the Arrow file holds no record batches.");
    }
}
