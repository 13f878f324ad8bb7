using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks.Tests;

public sealed class NotebookCellTests
{
    [Fact]
    public void New_cells_get_valid_ids_derived_from_their_kind_and_text()
    {
        // Given cells made with the factories
        var code = NotebookCell.Code("var x = 1;");
        var again = NotebookCell.Code("var x = 1;");
        var markdown = NotebookCell.Markdown("var x = 1;");

        // Then ids follow nbformat 4.5's pattern, are reproducible, and differ by kind
        Assert.Matches("^[a-zA-Z0-9_-]{8,64}$", code.Id);
        Assert.Equal(code.Id, again.Id);
        Assert.NotEqual(code.Id, markdown.Id);
        Assert.Equal("given", NotebookCell.Code("x", id: "given").Id);
    }

    [Fact]
    public void Create_gives_every_cell_a_distinct_id_and_the_NotebookMl_kernelspec()
    {
        // Given two identical cells and one without an id
        var cells = new[] { NotebookCell.Code("1"), NotebookCell.Code("1"), new NotebookCell(CellKind.Code, "2", null, [], null, [], null) };

        // When a notebook is created from them
        var doc = NotebookDocument.Create(cells);

        // Then ids are distinct and the metadata names our kernel and language
        Assert.Equal(3, doc.Cells.Select(c => c.Id).Distinct().Count());
        Assert.All(doc.Cells, c => Assert.Matches("^[a-zA-Z0-9_-]{8,64}$", c.Id));
        Assert.Equal(("notebookml-csharp", "C#", 4, 5), (doc.KernelName, doc.Language, doc.NbFormat, doc.NbFormatMinor));
        Assert.Equal(
            """{"kernelspec":{"display_name":"C# (NotebookMl)","language":"C#","name":"notebookml-csharp"},"language_info":{"file_extension":".cs","mimetype":"text/x-csharp","name":"C#","pygments_lexer":"csharp"}}""",
            doc.Metadata.ToJsonString());
        Assert.Equal("other", NotebookDocument.Create([], "other").KernelName);
    }

    [Fact]
    public void Tags_and_language_read_the_metadata_Polyglot_writes()
    {
        // Given a cell with Polyglot metadata and tags
        var cell = NotebookCell.Code("x").WithLanguage("fsharp").WithTags(["parameters", "slow"]);

        // Then they are read back, and the original cell is untouched
        Assert.Equal(["parameters", "slow"], cell.Tags);
        Assert.Equal("fsharp", cell.Language);
        Assert.Equal("""{"dotnet_interactive":{"language":"fsharp"},"polyglot_notebook":{"kernelName":"fsharp"},"tags":["parameters","slow"]}""", cell.Metadata.ToJsonString());
        Assert.Empty(NotebookCell.Code("x").Tags);
        Assert.Null(NotebookCell.Code("x").Language);
        Assert.Empty(cell.WithTags([]).Tags);
    }

    [Fact]
    public void Cells_are_equal_when_their_JSON_is_equal()
    {
        // Given two cells built separately with the same content
        var a = NotebookCell.Code("x") with { Metadata = (JsonObject)JsonNode.Parse("""{"a": [1, {"b": 2}]}""")! };
        var b = NotebookCell.Code("x") with { Metadata = (JsonObject)JsonNode.Parse("""{"a": [1, {"b": 2}]}""")! };

        // Then they are equal, and a different value makes them differ
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Metadata = (JsonObject)JsonNode.Parse("""{"a": [1, {"b": 3}]}""")! });
    }
}
