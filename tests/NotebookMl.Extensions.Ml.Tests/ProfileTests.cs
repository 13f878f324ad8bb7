using Microsoft.Data.Analysis;
using NotebookMl.Extensions.Ml;
using NotebookMl.Extensions.Ml.Profiling;
using NotebookMl.Kernel;
using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Events;
using NotebookMl.Testing;

namespace NotebookMl.Extensions.Ml.Tests;

public sealed class ProfileTests
{
    [Fact]
    public void The_profile_has_count_nulls_mean_std_min_max_and_distinct_per_column()
    {
        var frame = new DataFrame(
            new DoubleDataFrameColumn("delay", [1.0, 2.0, 3.0, null]),
            new StringDataFrameColumn("origin", ["SEA", "SFO", "SEA", "LAX"]));

        var table = DataProfiler.Profile(frame);

        Assert.Equal(["delay", "Double", "3", "1", "2", "1", "1", "3", "3"], table.Rows[0]);
        Assert.Equal(["origin", "String", "4", "0", "", "", "LAX", "SFO", "3"], table.Rows[1]);
    }

    [Fact]
    public async Task The_magic_command_profiles_a_dataframe_variable_in_the_notebook()
    {
        var kernel = new CSharpKernel();
        await kernel.LoadExtensionAsync(MlKernel.Extension());
        await kernel.SendAsync(new SubmitCode("var df = new DataFrame(new Int32DataFrameColumn(\"n\", new[] { 1, 2, 3, 4 }));"), _ => { });
        var events = new List<KernelEvent>();

        var final = await kernel.SendAsync(new SubmitCode("#!profile df"), events.Add);

        Assert.IsType<CommandSucceeded>(final);
        var html = events.OfType<DisplayedValueProduced>().Single().Values.Single(v => v.MimeType == "text/html").Value;
        Snapshot.Verify(html, "html");
    }

    [Fact]
    public async Task Profiling_something_that_is_neither_a_file_nor_a_variable_fails_clearly()
    {
        var kernel = new CSharpKernel();
        await kernel.LoadExtensionAsync(MlKernel.Extension());

        var final = await kernel.SendAsync(new SubmitCode("#!profile nothing_here"), _ => { });

        Assert.Equal("#!profile: 'nothing_here' is neither a Parquet, CSV or Arrow file nor a DataFrame variable.", Assert.IsType<CommandFailed>(final).Message);
    }
}
