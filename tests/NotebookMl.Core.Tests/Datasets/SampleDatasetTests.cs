using Microsoft.Data.Analysis;
using NotebookMl.Core.Datasets;

namespace NotebookMl.Core.Tests.Datasets;

/// <summary>The committed datasets: checksums match the published package, and they load with their schema.</summary>
public sealed class SampleDatasetTests
{
    [Theory]
    [InlineData("flights-3m")]
    [InlineData("seattle-weather")]
    public void The_committed_file_is_the_published_one(string name) => SampleDataset.Named(name).Verify();

    [Fact]
    public void Flights_load_as_a_data_frame_with_three_million_rows_and_the_documented_schema()
    {
        var flights = SampleDataset.Flights3m.LoadDataFrame();

        Assert.Equal(3_000_000, flights.Rows.Count);
        Assert.Equal(["date", "delay", "distance", "origin", "destination"], flights.Columns.Select(c => c.Name));
        Assert.IsType<DateTimeDataFrameColumn>(flights["date"]);
        Assert.IsType<StringDataFrameColumn>(flights["origin"]);
        var dates = ((DateTimeDataFrameColumn)flights["date"]).Select(d => d!.Value).ToArray();
        Assert.True(dates.Min() >= new DateTime(2001, 1, 1) && dates.Max() < new DateTime(2001, 7, 2), $"{dates.Min()}..{dates.Max()}");
    }

    [Fact]
    public void Seattle_weather_loads_as_a_data_frame_and_as_arrow()
    {
        var weather = SampleDataset.SeattleWeather.LoadDataFrame();
        var batch = SampleDataset.SeattleWeather.LoadArrow(limit: 10);

        Assert.Equal(1461, weather.Rows.Count);
        Assert.Equal(["date", "precipitation", "temp_max", "temp_min", "wind", "weather"], weather.Columns.Select(c => c.Name));
        Assert.Equal(new DateTime(2012, 1, 1), weather["date"][0]);
        Assert.Equal("drizzle", weather["weather"][0]);
        Assert.Equal((10, 6), (batch.Length, batch.ColumnCount));
        Assert.Equal(new DateTimeOffset(2012, 1, 1, 0, 0, 0, TimeSpan.Zero), ((Apache.Arrow.TimestampArray)batch.Column("date")).GetTimestamp(0));
        Assert.Equal("drizzle", ((Apache.Arrow.StringArray)batch.Column("weather")).GetString(0));
        Assert.Equal(0.0, ((Apache.Arrow.DoubleArray)batch.Column("precipitation")).GetValue(0));
    }

    [Fact]
    public void An_unknown_dataset_names_the_known_ones() =>
        Assert.Equal("no dataset named 'flights'; datasets: flights-3m, seattle-weather.", Assert.Throws<ArgumentException>(() => SampleDataset.Named("flights")).Message);
}
