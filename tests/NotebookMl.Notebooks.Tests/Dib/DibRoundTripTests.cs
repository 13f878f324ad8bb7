using NotebookMl.Notebooks.Tests.Support;

namespace NotebookMl.Notebooks.Tests.Dib;

public sealed class DibRoundTripTests
{
    [Theory]
    [InlineData("polyglot.dib")]
    [InlineData("tagged.dib")]
    public void A_dib_file_parses_and_serializes_to_the_same_bytes(string sample)
    {
        // Given a .dib file with a #!meta section, markdown, C# and F# cells
        var original = Samples.Text(sample);

        // When it is parsed and serialized
        var written = DibSerializer.Serialize(DibSerializer.Parse(original, sample));

        // Then the text is unchanged
        Assert.Equal(original, written);
    }

    [Fact]
    public void Sections_become_cells_with_kinds_languages_and_Polyglot_metadata()
    {
        // Given the Polyglot-written sample
        // When it is parsed
        var doc = DibSerializer.Parse(Samples.Text("polyglot.dib"), "polyglot.dib");

        // Then each section is a cell, magic commands stay in their cell, and the kernel info is notebook metadata
        Assert.Equal([CellKind.Markdown, CellKind.Code, CellKind.Code, CellKind.Code], doc.Cells.Select(c => c.Kind));
        Assert.Equal([null, "csharp", "fsharp", "csharp"], doc.Cells.Select(c => c.Language));
        Assert.Equal("#!time\nvar delays = new[] { 12, 45, 3 };\ndelays.Max()", doc.Cells[1].Source);
        Assert.Equal("// a blank line inside a cell belongs to it\n\n    var x = 1;\nConsole.WriteLine($\"x = {x}\");", doc.Cells[3].Source);
        Assert.Equal("fsharp", doc.Cells[2].Metadata["dotnet_interactive"]!["language"]!.GetValue<string>());
        Assert.Equal("csharp", doc.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.Equal(NotebookDocument.DefaultKernelName, doc.KernelName);
    }

    [Fact]
    public void Cell_tags_come_from_the_cellTags_of_the_meta_section_and_are_not_left_in_metadata()
    {
        // Given a .dib whose #!meta tags cell 1 as parameters and cell 2 with two tags
        // When it is parsed
        var doc = DibSerializer.Parse(Samples.Text("tagged.dib"), "tagged.dib");

        // Then those cells carry the tags and the notebook metadata holds only the kernel info
        Assert.Equal([[], ["parameters"], ["slow", "report"]], doc.Cells.Select(c => c.Tags));
        Assert.Null(doc.Metadata["polyglot_notebook"]!["cellTags"]);
    }

    [Fact]
    public void A_dib_converted_to_ipynb_and_back_keeps_cells_kinds_languages_and_tags()
    {
        // Given the tagged and the Polyglot samples
        foreach (var sample in new[] { "tagged.dib", "polyglot.dib" })
        {
            var original = Samples.Text(sample);
            var doc = DibSerializer.Parse(original, sample);

            // When each goes .dib -> .ipynb -> .dib
            var viaIpynb = IpynbSerializer.Parse(IpynbSerializer.Serialize(doc), "via.ipynb");
            var back = DibSerializer.Serialize(viaIpynb);

            // Then the notebook and the .dib text are unchanged
            Assert.Equal(doc, viaIpynb);
            Assert.Equal(original, back);
        }
    }

    [Fact]
    public void A_notebook_with_tags_but_no_Polyglot_metadata_gets_a_meta_section_that_reads_back()
    {
        // Given a notebook built in code, with a parameters cell
        var doc = NotebookDocument.Create(
        [
            NotebookCell.Markdown("# Run"),
            NotebookCell.Code("var n = 3;").WithTags(["parameters"]),
            NotebookCell.Code("n * 2").WithLanguage("fsharp"),
        ]);

        // When it is written as .dib and read again
        var text = DibSerializer.Serialize(doc);
        var back = DibSerializer.Parse(text, "built.dib");

        // Then the text is the documented layout and cells, languages and tags are kept
        Assert.Equal(
            "#!meta\n\n{\"cellTags\":{\"1\":[\"parameters\"]}}\n\n#!markdown\n\n# Run\n\n#!csharp\n\nvar n = 3;\n\n#!fsharp\n\nn * 2\n",
            text);
        Assert.Equal(doc.Cells.Select(c => (c.Kind, c.Source, c.Tags.Count)), back.Cells.Select(c => (c.Kind, c.Source, c.Tags.Count)));
        Assert.Equal([null, "csharp", "fsharp"], back.Cells.Select(c => c.Language));
        Assert.Equal(["parameters"], back.Cells[1].Tags);
    }
}
