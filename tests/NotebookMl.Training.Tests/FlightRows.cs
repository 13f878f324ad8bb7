using Microsoft.Data.Analysis;
using NotebookMl.Core.Datasets;

namespace NotebookMl.Training.Tests;

/// <summary>Real rows for training tests: flights with hour, weekday and month derived from the date, and the delay label.</summary>
internal static class FlightRows
{
    private static readonly Lazy<DataFrame> s_rows = new(() => Load(30_000));

    public static DataFrame Sample => s_rows.Value;

    public static DataFrame Load(int limit)
    {
        var flights = SampleDataset.Flights3m.LoadDataFrame(limit);
        var dates = (PrimitiveDataFrameColumn<DateTime>)flights["date"];
        var delays = flights["delay"];
        var hour = new DoubleDataFrameColumn("hour", dates.Select(d => (double?)d!.Value.Hour));
        var weekday = new DoubleDataFrameColumn("weekday", dates.Select(d => (double?)(int)d!.Value.DayOfWeek));
        var late = new BooleanDataFrameColumn("late", Enumerable.Range(0, (int)flights.Rows.Count).Select(i => (bool?)(Convert.ToDouble(delays[i], System.Globalization.CultureInfo.InvariantCulture) > 15)));
        var delay = new DoubleDataFrameColumn("delay_minutes", Enumerable.Range(0, (int)flights.Rows.Count).Select(i => (double?)Convert.ToDouble(delays[i], System.Globalization.CultureInfo.InvariantCulture)));
        return new DataFrame(flights["date"], flights["distance"], flights["origin"], flights["destination"], hour, weekday, late, delay);
    }
}
