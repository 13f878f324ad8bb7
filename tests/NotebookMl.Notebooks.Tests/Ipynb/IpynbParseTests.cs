using NotebookMl.Notebooks.Tests.Support;

namespace NotebookMl.Notebooks.Tests.Ipynb;

public sealed class IpynbParseTests
{
    [Fact]
    public void Polyglot_metadata_gives_each_cell_its_language_and_the_notebook_its_kernel()
    {
        // Given the Polyglot sample
        // When it is parsed
        var doc = IpynbSerializer.Parse(Samples.Text("polyglot.ipynb"), "polyglot.ipynb");

        // Then languages, kernel, tags, outputs and counts come from the file
        Assert.Equal(".net-csharp", doc.KernelName);
        Assert.Equal("C#", doc.Language);
        Assert.Equal([null, "csharp", "csharp", "fsharp", "pwsh"], doc.Cells.Select(c => c.Language));
        Assert.Equal([CellKind.Markdown, CellKind.Code, CellKind.Code, CellKind.Code, CellKind.Code], doc.Cells.Select(c => c.Kind));
        Assert.Equal(["parameters"], doc.Cells[1].Tags);
        Assert.Empty(doc.Cells[2].Tags);
        Assert.Equal(3, doc.Cells[2].Outputs.Count);
        Assert.Equal([1, 2, 3, null], doc.Cells.Skip(1).Select(c => c.ExecutionCount));
        Assert.Equal((4, 2), (doc.NbFormat, doc.NbFormatMinor));
    }

    [Fact]
    public void The_language_falls_back_to_dotnet_interactive_metadata_and_then_language_info()
    {
        // Given an older .NET Interactive notebook: cell language only in dotnet_interactive, no kernelspec
        const string json = """
            {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {"dotnet_interactive": {"language": "fsharp"}},
              "outputs": [], "source": "1 + 1"}],
             "metadata": {"language_info": {"name": "F#"}}, "nbformat": 4, "nbformat_minor": 4}
            """;

        // When it is parsed
        var doc = IpynbSerializer.Parse(json, "old.ipynb");

        // Then those values are used
        Assert.Equal("fsharp", doc.Cells[0].Language);
        Assert.Equal("F#", doc.Language);
        Assert.Null(doc.KernelName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(5)]
    public void Minor_versions_zero_to_five_are_read(int minor)
    {
        // Given an empty notebook of that minor version
        var json = $$"""{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": {{minor}}}""";

        // When it is parsed and serialized
        var doc = IpynbSerializer.Parse(json, "v.ipynb");

        // Then the version is kept
        Assert.Equal(minor, doc.NbFormatMinor);
        Assert.Contains($"\"nbformat_minor\": {minor}", IpynbSerializer.Serialize(doc));
    }

    [Fact]
    public void Cells_of_a_4_5_notebook_without_ids_get_distinct_ids_and_older_notebooks_get_none()
    {
        // Given two identical cells without ids, in a 4.5 and a 4.4 notebook
        static string Notebook(int minor) => $$"""
            {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "same"},
                       {"cell_type": "markdown", "metadata": {}, "source": "same"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": {{minor}}}
            """;

        // When each is parsed and serialized
        var v45 = IpynbSerializer.Parse(IpynbSerializer.Serialize(IpynbSerializer.Parse(Notebook(5), "a.ipynb")), "a.ipynb");
        var v44 = IpynbSerializer.Serialize(IpynbSerializer.Parse(Notebook(4), "b.ipynb"));

        // Then 4.5 cells have valid, distinct, stable ids; 4.4 cells have none
        var ids = v45.Cells.Select(c => c.Id!).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9_-]{8,64}$", id));
        Assert.Equal(2, ids.Distinct().Count());
        Assert.Equal(ids, IpynbSerializer.Parse(IpynbSerializer.Serialize(IpynbSerializer.Parse(Notebook(5), "a.ipynb")), "a.ipynb").Cells.Select(c => c.Id));
        Assert.DoesNotContain("\"id\"", v44);
    }
}
