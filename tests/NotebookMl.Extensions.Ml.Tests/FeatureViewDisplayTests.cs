using NotebookMl.Core.Features;
using NotebookMl.Core.Workspaces;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Testing;

namespace NotebookMl.Extensions.Ml.Tests;

/// <summary>The feature view display: schema, statistics and histograms, as approved snapshots.</summary>
public sealed class FeatureViewDisplayTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-feature-display-").FullName;

    [Fact]
    public void A_feature_view_shows_its_schema_and_per_feature_statistics_with_histograms()
    {
        File.WriteAllText(Path.Combine(_folder, "delays.csv"), "origin,date,delay,carrier\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i =>
            $"{(i % 3 == 0 ? "SEA" : "SFO")},2001-01-{1 + (i % 28):00}T{i % 24:00}:00:00,{(i % 7 == 0 ? "" : (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture))},{(i % 2 == 0 ? "AA" : "UA")}")) + "\n");
        using var store = FeatureStore.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")));
        store.Apply(new FeatureDefinitions(
            [new Entity("airport", ["origin"])],
            [new FeatureView
            {
                Name = "delays", Entities = ["airport"], Source = "delays.csv", TimestampColumn = "date", Ttl = TimeSpan.FromDays(2), Description = "Delays by origin",
                Features = [new Feature("delay", FeatureType.Double), new Feature("carrier", FeatureType.String)],
            }],
            _folder));

        var display = new FeatureViewDisplay(store.Describe("delays"));
        var bundle = display.ToMimeBundle();

        Snapshot.Verify(bundle.Single(b => b.MimeType == "text/html").Value, "html");
        Snapshot.Verify(bundle.Single(b => b.MimeType == "text/plain").Value, "txt", "A_feature_view_as_plain_text");

        // One scale for the whole chart: carrier's two buckets of 20 are full height; delay's buckets
        // of 3 to 5 rows are low, in the text and in the SVG alike.
        var features = TextTable.Parse(bundle.Single(b => b.MimeType == "text/plain").Value, "feature");
        Assert.Equal("██", features.Single(r => r["feature"] == "carrier")["histogram"]);
        Assert.All(features.Single(r => r["feature"] == "delay")["histogram"], bar => Assert.InRange(bar, '▁', '▂'));
        var heights = System.Text.RegularExpressions.Regex.Matches(bundle.Single(b => b.MimeType == "text/html").Value, "<rect [^>]*height=\"([0-9.]+)\"")
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(12, heights.Length);
        Assert.All(heights[..10], h => Assert.InRange(h, 1, 28 * 5 / 20.0));
        Assert.Equal([28.0, 28.0], heights[10..]);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
