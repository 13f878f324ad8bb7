using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks.Tests.Dib;

public sealed class DibParseTests
{
    [Fact]
    public void CRLF_files_are_read_and_written_back_with_LF()
    {
        // Given a .dib with CRLF line endings that starts without a marker and uses the md alias
        const string text = "let x = 1\r\n\r\n#!fsharp\r\n\r\nlet y = 2\r\n\r\n#!md\r\n\r\n*hi*\r\nthere\r\n";

        // When it is parsed and written
        var doc = DibSerializer.Parse(text, "crlf.dib");
        var written = DibSerializer.Serialize(doc);

        // Then the leading text is a C# cell, md is markdown, and only LF remains
        Assert.Equal(
            [(CellKind.Code, "let x = 1", "csharp"), (CellKind.Code, "let y = 2", "fsharp"), (CellKind.Markdown, "*hi*\nthere", null)],
            doc.Cells.Select(c => (c.Kind, c.Source, c.Language)));
        Assert.Equal("#!csharp\n\nlet x = 1\n\n#!fsharp\n\nlet y = 2\n\n#!markdown\n\n*hi*\nthere\n", written);
    }

    [Fact]
    public void A_code_cell_without_a_language_is_written_in_the_default_kernel_of_the_meta_section()
    {
        // Given a notebook whose Polyglot metadata makes F# the default, and a code cell with no language
        var doc = NotebookDocument.Create([NotebookCell.Code("let x = 1")]);
        doc.Metadata["polyglot_notebook"] = JsonNode.Parse("""{"kernelInfo":{"defaultKernelName":"fsharp","items":[]}}""");

        // When it is written as .dib
        var text = DibSerializer.Serialize(doc);

        // Then the cell is marked as F#
        Assert.Equal("#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"fsharp\",\"items\":[]}}\n\n#!fsharp\n\nlet x = 1\n", text);
    }

    [Fact]
    public void Without_a_meta_section_leading_text_is_csharp_and_kernels_named_there_are_known()
    {
        // Given a .dib without #!meta, then one with a kernel only #!meta declares
        var plain = DibSerializer.Parse("Console.WriteLine(1);\n", "plain.dib");
        var custom = DibSerializer.Parse(
            "#!meta\n\n{\"kernelInfo\":{\"items\":[{\"aliases\":[\"py\"],\"name\":\"python\"}]}}\n\n#!py\n\nprint(1)\n\n#!other\n",
            "custom.dib");

        // Then the first is one C# cell; in the second the alias names the kernel and an unknown #! line is content
        Assert.Equal("csharp", Assert.Single(plain.Cells).Language);
        var cell = Assert.Single(custom.Cells);
        Assert.Equal(("python", "print(1)\n\n#!other"), (cell.Language, cell.Source));
    }

    [Theory]
    [InlineData("#!meta\n\n{\"kernelInfo\": \n\n#!csharp\n\nx\n", "bad.dib: invalid JSON in the #!meta section at line 4, position 1: ")]
    [InlineData("#!meta\n\n[1]\n\n#!csharp\n\nx\n", "bad.dib: the #!meta section must hold one JSON object; found a list")]
    [InlineData("#!meta\n\n{\"cellTags\":{\"3\":[\"parameters\"]}}\n\n#!csharp\n\nx\n", "bad.dib: #!meta 'cellTags' names cell 3, but the file has 1 cells, numbered from 0")]
    [InlineData("#!meta\n\n{\"cellTags\":{\"first\":[\"parameters\"]}}\n\n#!csharp\n\nx\n", "bad.dib: #!meta 'cellTags' has the key \"first\"; expected a cell index (\"0\" is the first cell)")]
    [InlineData("#!meta\n\n{\"cellTags\":{\"0\":\"parameters\"}}\n\n#!csharp\n\nx\n", "bad.dib: #!meta 'cellTags' for cell 0 must be a list of strings")]
    public void A_broken_meta_section_gets_a_message_naming_the_file_and_the_problem(string text, string message)
    {
        // Given a .dib whose #!meta section is broken
        // When it is parsed
        var error = Assert.Throws<NotebookFormatException>(() => DibSerializer.Parse(text, "bad.dib"));

        // Then the message says what is wrong
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Cells_a_dib_cannot_hold_are_refused_when_writing()
    {
        // Given a raw cell, and a markdown cell holding a line that would start a new section
        var raw = NotebookDocument.Create([NotebookCell.Raw("raw")]);
        var marker = NotebookDocument.Create([NotebookCell.Markdown("Use\n#!csharp\nto switch")]);

        // When each is written as .dib
        var rawError = Assert.Throws<NotebookFormatException>(() => DibSerializer.Serialize(raw));
        var markerError = Assert.Throws<NotebookFormatException>(() => DibSerializer.Serialize(marker));

        // Then the messages say which cell and why
        Assert.Equal("notebook: cell 1 is a raw cell; a .dib file holds only code and markdown cells", rawError.Message);
        Assert.Equal("notebook: cell 1 has the line '#!csharp', which a .dib reader takes for the start of a new cell", markerError.Message);
    }

    [Fact]
    public void A_code_cell_in_a_kernel_the_dib_does_not_know_is_declared_in_the_meta_section()
    {
        // Given a Python cell, a kernel .NET Interactive does not know by default
        var doc = NotebookDocument.Create([NotebookCell.Code("print(1)").WithLanguage("python")]);

        // When it is written and read back
        var text = DibSerializer.Serialize(doc);
        var back = DibSerializer.Parse(text, "py.dib");

        // Then the kernel is declared as Polyglot declares kernels, and the cell keeps its language
        Assert.StartsWith("#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"python\"}]}}\n\n#!python\n", text);
        Assert.Equal("python", Assert.Single(back.Cells).Language);
    }
}
