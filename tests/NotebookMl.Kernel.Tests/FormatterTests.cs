using Microsoft.Data.Analysis;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Testing;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Tests;

public sealed class FormatterTests
{
    [Fact]
    public void A_dataframe_renders_its_first_rows_with_column_types_and_shape()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn("origin", Enumerable.Range(0, 25).Select(i => i % 2 == 0 ? "SEA" : "SFO <&>")),
            new DoubleDataFrameColumn("delay", Enumerable.Range(0, 25).Select(i => i * 1.5)));

        Snapshot.Verify(DataFrameFormatter.ToHtml(frame), "html");
    }

    [Fact]
    public void A_dataframe_renders_as_aligned_text()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("n", [1, 22, 333]), new StringDataFrameColumn("s", ["a", null, "ccc"]));

        Snapshot.Verify(DataFrameFormatter.ToPlainText(frame));
    }

    [Fact]
    public void A_table_renders_as_html_with_its_title_and_escaped_cells()
    {
        var table = new Table(["name", "value"], [["x", "<b>1</b>"], ["y", "2"]]) { Title = "Variables" };

        Snapshot.Verify(TableFormatter.ToHtml(table), "html");
    }
}
