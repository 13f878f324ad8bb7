using System.Diagnostics;

namespace NotebookMl.Verbs;

/// <summary>
/// The notebook cell being run, as an <see cref="Activity"/> (.NET's ambient operation, the one OpenTelemetry traces): a host
/// starts one around each cell it runs, tagged with the cell, and what runs inside (a verb, the cell's own code, the tasks it
/// starts) finds the cell in <see cref="Activity.Current"/>. Experiment tracking records it as a run's source.
/// </summary>
public static class CellActivity
{
    /// <summary>The tag that holds the cell (its id, or its first line); <c>NotebookMl.Core.Tracking.RunSource</c> reads the same name.</summary>
    public const string CellTag = "notebook.cell";

    /// <summary>Starts the activity of running <paramref name="cell"/>; dispose it when the cell is done.</summary>
    public static Activity Start(string? cell) => new Activity("NotebookMl.Cell").SetTag(CellTag, cell).Start();
}
