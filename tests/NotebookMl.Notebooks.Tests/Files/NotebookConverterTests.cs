using NotebookMl.Notebooks.Tests.Support;

namespace NotebookMl.Notebooks.Tests.Files;

public sealed class NotebookConverterTests
{
    [Fact]
    public async Task Converting_ipynb_to_dib_and_back_keeps_cells_languages_and_tags_and_validates()
    {
        // Given the Polyglot .ipynb sample
        using var temp = new TempFolder();
        var source = IpynbSerializer.Parse(Samples.Text("polyglot.ipynb"), "polyglot.ipynb");

        // When it is converted to .dib and back to .ipynb
        NotebookConverter.Convert(Samples.Path("polyglot.ipynb"), temp.File("p.dib"));
        NotebookConverter.Convert(temp.File("p.dib"), temp.File("p.ipynb"));
        var back = NotebookFile.Read(temp.File("p.ipynb"));

        // Then kinds, sources, languages and tags survive (outputs do not: .dib has none), and nbformat accepts it
        Assert.Equal(
            source.Cells.Select(c => (c.Kind, c.Source, c.Language, string.Join(',', c.Tags))),
            back.Cells.Select(c => (c.Kind, c.Source, c.Language, string.Join(',', c.Tags))));
        Assert.All(back.Cells, c => Assert.Empty(c.Outputs));
        Assert.Equal(source.Metadata["polyglot_notebook"]!.ToJsonString(), back.Metadata["polyglot_notebook"]!.ToJsonString());
        await Nbformat.AssertValidAsync(temp.File("p.ipynb"));
    }

    [Fact]
    public async Task Converting_ipynb_to_ipynb_writes_nbformat_normal_form()
    {
        // Given a notebook not in nbformat's normal form
        using var temp = new TempFolder();
        var expected = await Nbformat.NormalizeAsync(Samples.Path("unnormalized.ipynb"), temp.File("expected.ipynb"));

        // When it is converted to .ipynb
        NotebookConverter.Convert(Samples.Path("unnormalized.ipynb"), temp.File("normal.ipynb"));

        // Then the file is what nbformat writes
        Assert.Equal(expected, await File.ReadAllTextAsync(temp.File("normal.ipynb")));
    }

    [Fact]
    public void Converting_to_an_unknown_extension_fails_before_reading()
    {
        // Given an output path with an unknown extension and an input that does not exist
        // When a conversion is asked for
        var error = Assert.Throws<NotebookFormatException>(() => NotebookConverter.Convert("missing.ipynb", "out.md"));

        // Then the output extension is what is reported
        Assert.Equal("out.md: the extension '.md' is not a notebook format; expected .ipynb or .dib", error.Message);
    }
}
