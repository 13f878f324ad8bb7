using NotebookMl.Core.Features;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Features;

/// <summary>
/// The example's origin feature as shipped in features/flights.yaml (<c>origin_landed</c>) against the
/// hourly definition it replaced, on flights built so that one departed but had not landed.
/// </summary>
public sealed class LeakFreeFeatureTests : IDisposable
{
    private readonly FeatureWorkspace _workspace = new();

    [Fact]
    public void A_flight_that_has_not_landed_feeds_the_hourly_definition_but_not_the_landed_one()
    {
        // Scheduled departures from SEA with their arrival delays. Landings, as origin_landed estimates
        // them (departure + 45 min + distance / 7 + delay): PDX 08:14, SFO 11:28, JFK 18:41.
        var flights = _workspace.Write("flights.csv", """
            date,origin,destination,distance,delay
            2001-01-01T07:00:00,SEA,PDX,130,10
            2001-01-01T09:00:00,SEA,SFO,680,5
            2001-01-01T10:10:00,SEA,JFK,2420,120
            """.Replace("            ", "", StringComparison.Ordinal));
        var shipped = FeatureDefinitionsFile.Read(RepoPaths.Of("features", "flights.yaml"));
        var landed = shipped.Views.Single(v => v.Name == "origin_landed") with { Source = flights };
        var hourly = new FeatureView
        {
            Name = "origin_hourly", Entities = ["airport"], Source = flights, TimestampColumn = "event_timestamp", Ttl = TimeSpan.FromDays(1),
            Query = "SELECT origin, date_trunc('hour', date) + INTERVAL 1 HOUR AS event_timestamp, avg(delay) AS mean_delay_1h FROM source GROUP BY ALL",
            Features = [new Feature("mean_delay_1h", FeatureType.Double)],
        };
        _workspace.Store.Apply(new FeatureDefinitions(shipped.Entities, [landed, hourly]));
        var departures = _workspace.Write("departures.csv", "origin,date\nSEA,2001-01-01T11:00:00\nSEA,2001-01-01T19:00:00\n");

        var frame = _workspace.Store.GetHistoricalFeatures(
            departures, FeatureReference.ParseList("origin_hourly:mean_delay_1h,origin_landed:mean_landed_delay_3h,origin_landed:landed_3h"), "date").Frame;

        // At 11:00 the JFK flight has departed (10:10) but lands at 18:41: the hourly mean is its delay,
        // the landed mean only knows PDX.
        Assert.Equal(120.0, frame["mean_delay_1h"][0]);
        Assert.Equal(10.0, frame["mean_landed_delay_3h"][0]);
        Assert.Equal(1L, frame["landed_3h"][0]);
        // At 19:00 the JFK flight has landed; SFO landed more than 3 hours before it.
        Assert.Equal(120.0, frame["mean_landed_delay_3h"][1]);
        Assert.Equal(1L, frame["landed_3h"][1]);
    }

    public void Dispose() => _workspace.Dispose();
}
