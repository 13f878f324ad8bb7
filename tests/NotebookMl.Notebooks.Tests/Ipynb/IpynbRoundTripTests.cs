using System.Text.Json.Nodes;
using NotebookMl.Notebooks.Tests.Support;

namespace NotebookMl.Notebooks.Tests.Ipynb;

public sealed class IpynbRoundTripTests
{
    [Fact]
    public async Task A_notebook_written_by_nbformat_parses_and_serializes_to_the_same_bytes()
    {
        // Given a notebook that the real nbformat.write produced: unicode, multi-line sources and
        // outputs, an empty source, attachments, floats and keys that sort differently by code point
        using var temp = new TempFolder();
        var path = temp.File("rich.ipynb");
        await Nbformat.RunSampleScriptAsync("make_rich_notebook.py", path);
        var original = await File.ReadAllTextAsync(path);

        // When we parse and serialize it
        var doc = IpynbSerializer.Parse(original, path);
        var written = IpynbSerializer.Serialize(doc);

        // Then the bytes are nbformat's, and the model holds joined text
        Assert.Equal(original, written);
        Assert.Equal("", doc.Cells[1].Source);
        Assert.Equal("var x = 1;\nConsole.WriteLine(\"héllo 世界\");\n", doc.Cells[2].Source);
        Assert.Equal("héllo 世界\nsecond line\n", doc.Cells[2].Outputs[0]!["text"]!.GetValue<string>());
        Assert.Equal("alt\ntext\n", doc.Cells[0].Attachments!["chart.png"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Seeded_random_notebooks_written_by_nbformat_parse_and_serialize_to_the_same_bytes()
    {
        // Given 40 notebooks nbformat wrote from seeded random text, metadata, floats and outputs
        using var temp = new TempFolder();
        await Nbformat.RunSampleScriptAsync("make_random_notebooks.py", temp.Root, "40", "20240601");
        var paths = Directory.GetFiles(temp.Root, "*.ipynb").Order().ToList();
        Assert.Equal(40, paths.Count);

        foreach (var path in paths)
        {
            // When each is parsed and serialized
            var original = await File.ReadAllTextAsync(path);
            var written = IpynbSerializer.Serialize(IpynbSerializer.Parse(original, path));

            // Then the bytes are nbformat's
            Assert.True(original == written, $"{Path.GetFileName(path)} differs at character {FirstDifference(original, written)}");
        }
    }

    [Fact]
    public void The_Polyglot_sample_parses_and_serializes_to_the_same_bytes()
    {
        // Given a Polyglot Notebooks .ipynb (nbformat 4.2, no cell ids) in nbformat's normal form
        var original = Samples.Text("polyglot.ipynb");

        // When it is parsed and serialized
        var written = IpynbSerializer.Serialize(IpynbSerializer.Parse(original, "polyglot.ipynb"));

        // Then nothing changed, and no cell ids were invented for a 4.2 notebook
        Assert.Equal(original, written);
        Assert.DoesNotContain("\"id\":", written);
    }

    [Fact]
    public async Task Serialize_writes_what_nbformat_writes_for_a_notebook_not_in_normal_form()
    {
        // Given a hand-written compact notebook: unsorted keys, unsplit text, line lists where nbformat
        // keeps strings, numbers like 1.50 and 1E5, \u escapes, a transient 'trusted' flag
        using var temp = new TempFolder();
        var expected = await Nbformat.NormalizeAsync(Samples.Path("unnormalized.ipynb"), temp.File("normal.ipynb"));

        // When we parse and serialize it
        var written = IpynbSerializer.Serialize(IpynbSerializer.Parse(Samples.Text("unnormalized.ipynb"), "unnormalized.ipynb"));

        // Then the text is byte for byte what nbformat.read + nbformat.write gives
        Assert.Equal(expected, written);
    }

    [Fact]
    public void Properties_unknown_to_nbformat_survive_at_every_level()
    {
        // Given a notebook with extra properties on the notebook, a cell, an output and in metadata
        const string json = """
            {"cells": [{"cell_type": "code", "execution_count": null, "future_cell_field": [1, {"k": "v"}],
              "metadata": {"tool": {"deep": {"deeper": true}}},
              "outputs": [{"output_type": "future_output", "payload": {"x": 1.25}}], "source": "1"}],
             "future_top_field": "kept", "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
            """;

        // When it goes through a round trip
        var doc = IpynbSerializer.Parse(json, "extra.ipynb");
        var again = IpynbSerializer.Parse(IpynbSerializer.Serialize(doc), "extra.ipynb");

        // Then each extra property is still there, with its value
        Assert.Equal("kept", again.AdditionalProperties["future_top_field"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[1, {"k": "v"}]"""), again.Cells[0].AdditionalProperties["future_cell_field"]));
        Assert.True(again.Cells[0].Metadata["tool"]!["deep"]!["deeper"]!.GetValue<bool>());
        Assert.Equal(1.25, again.Cells[0].Outputs[0]!["payload"]!["x"]!.GetValue<double>());
        Assert.Equal(doc, again);
    }

    [Fact]
    public async Task Every_notebook_we_serialize_is_valid_for_nbformat()
    {
        // Given notebooks from each source: built in code, the Polyglot sample, a parsed .dib, the hand-written one
        using var temp = new TempFolder();
        var built = NotebookDocument.Create(
        [
            NotebookCell.Markdown("# Title"),
            NotebookCell.Code("var x = 1;").WithTags(["parameters"]),
            NotebookCell.Code("var x = 1;"),
            NotebookCell.Raw("raw"),
        ]);
        var docs = new Dictionary<string, NotebookDocument>
        {
            ["built.ipynb"] = built,
            ["polyglot.ipynb"] = IpynbSerializer.Parse(Samples.Text("polyglot.ipynb"), "polyglot.ipynb"),
            ["from-dib.ipynb"] = DibSerializer.Parse(Samples.Text("polyglot.dib"), "polyglot.dib"),
            ["unnormalized.ipynb"] = IpynbSerializer.Parse(Samples.Text("unnormalized.ipynb"), "unnormalized.ipynb"),
        };

        foreach (var (name, doc) in docs)
        {
            // When each is serialized to a file
            await File.WriteAllTextAsync(temp.File(name), IpynbSerializer.Serialize(doc));

            // Then the real nbformat reads and validates it
            await Nbformat.AssertValidAsync(temp.File(name));
        }
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }
}
