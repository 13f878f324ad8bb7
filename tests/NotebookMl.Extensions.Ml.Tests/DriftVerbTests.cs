using System.Text.Json.Nodes;
using NotebookMl.Core.Drift.Statistics;
using NotebookMl.Extensions.Ml;
using NotebookMl.Kernel;
using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Events;

namespace NotebookMl.Extensions.Ml.Tests;

/// <summary>
/// <c>#!drift compare</c> on two DataFrame variables of the notebook: nulls left out of the statistics and reported, a
/// category the reference never had, values outside its range, and the statistics equal to Core's (checked against SciPy).
/// </summary>
public sealed class DriftVerbTests
{
    [Fact]
    public async Task Two_dataframes_of_the_notebook_are_compared_with_nulls_new_categories_and_values_out_of_range_reported()
    {
        var kernel = new CSharpKernel();
        await kernel.LoadExtensionAsync(MlKernel.Extension());
        var defined = await kernel.SendAsync(new SubmitCode("""
            using Microsoft.Data.Analysis;
            var before = new DataFrame(
                new DoubleDataFrameColumn("delay", new double?[] { 1, 2, 2, 3, 4, null, 5, 6, 7, null }),
                new StringDataFrameColumn("origin", new[] { "SEA", "SEA", "ORD", "ORD", "LAS", "LAS", "SEA", "ORD", "LAS", "SEA" }));
            var after = new DataFrame(
                new DoubleDataFrameColumn("delay", new double?[] { 3, 4, 9, 12, null, 5, 6, 20 }),
                new StringDataFrameColumn("origin", new[] { "SEA", "BOS", "BOS", "ORD", "SEA", "LAS", "BOS", null }));
            """), _ => { });
        var events = new List<KernelEvent>();

        var final = await kernel.SendAsync(new SubmitCode("#!drift compare before after --json"), events.Add);

        Assert.IsType<CommandSucceeded>(defined);
        Assert.IsType<CommandSucceeded>(final);
        var json = JsonNode.Parse(events.OfType<DisplayedValueProduced>().SelectMany(e => e.Values).Single(v => v.MimeType == "application/json").Value)!;
        var columns = json["columns"]!.AsArray().ToDictionary(c => (string)c!["column"]!, c => c!);
        // Ten reference rows: the tests (KS, chi-square); nulls are left out of them.
        var ks = KolmogorovSmirnov.TwoSample([1, 2, 2, 3, 4, 5, 6, 7], [3, 4, 5, 6, 9, 12, 20]);
        Assert.Equal(("ks", ks.Statistic, ks.PValue), ((string)columns["delay"]["method"]!, (double)columns["delay"]["statistic"]!, (double?)columns["delay"]["p_value"]));
        var chi = ChiSquare.Contingency([0, 3, 3, 4], [3, 1, 1, 2]);
        Assert.Equal(("chi2", chi.Statistic), ((string)columns["origin"]["method"]!, (double)columns["origin"]["statistic"]!));
        var delay = columns["delay"]["quality"]!;
        Assert.Equal((0.2, 0.125, 3 / 7.0), ((double)delay["reference_null_share"]!, (double)delay["current_null_share"]!, (double)delay["out_of_range_share"]!));
        var origin = columns["origin"]["quality"]!;
        Assert.Equal(["BOS"], origin["new_categories"]!.AsArray().Select(c => (string)c!));
        Assert.Equal((3 / 7.0, 0.125), ((double)origin["new_category_share"]!, (double)origin["current_null_share"]!));
    }
}
