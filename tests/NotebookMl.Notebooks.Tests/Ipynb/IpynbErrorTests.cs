namespace NotebookMl.Notebooks.Tests.Ipynb;

public sealed class IpynbErrorTests
{
    [Fact]
    public void Malformed_JSON_is_reported_with_the_file_line_and_position()
    {
        // Given JSON with a stray comma on line 3
        const string json = "{\n \"cells\": [],\n \"metadata\": {},,\n \"nbformat\": 4\n}";

        // When it is parsed
        var error = Assert.Throws<NotebookFormatException>(() => IpynbSerializer.Parse(json, "notebooks/x.ipynb"));

        // Then the one-line message names the file and where the JSON breaks
        Assert.StartsWith("notebooks/x.ipynb: invalid JSON at line 3, position 17: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_position_of_a_JSON_error_counts_characters_not_bytes()
    {
        // Given an error after non-ASCII characters on the same line
        const string json = "{\"metadata\": {\"title\": \"Überschrift ✓\"} x}";

        // When it is parsed
        var error = Assert.Throws<NotebookFormatException>(() => IpynbSerializer.Parse(json, "x.ipynb"));

        // Then the position is the character column of the 'x'
        Assert.StartsWith($"x.ipynb: invalid JSON at line 1, position {json.IndexOf(" x", StringComparison.Ordinal) + 2}: ", error.Message);
    }

    [Theory]
    [InlineData("""{"cells": [], "metadata": {}, "nbformat": 3, "nbformat_minor": 0}""", "x.ipynb: nbformat 3 is not supported; expected nbformat 4")]
    [InlineData("""{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 6}""", "x.ipynb: nbformat 4.6 is not supported; expected nbformat 4.0 to 4.5")]
    [InlineData("""{"cells": [], "metadata": {}}""", "x.ipynb: has no 'nbformat' version; expected an nbformat 4 notebook")]
    [InlineData("""{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}""", "x.ipynb: has no 'cells' list; expected an nbformat 4 notebook")]
    [InlineData("""[1, 2]""", "x.ipynb: expected a notebook (a JSON object with 'nbformat', 'metadata' and 'cells'); found a list")]
    [InlineData("""{"cells": [{"cell_type": "code", "source": ""}, {"source": "x"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""", "x.ipynb: cell 2 has no 'cell_type'")]
    [InlineData("""{"cells": [{"cell_type": "heading", "source": ""}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""", "x.ipynb: cell 1 has cell_type \"heading\"; expected \"code\", \"markdown\" or \"raw\"")]
    [InlineData("""{"cells": [{"cell_type": "code", "source": [1]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""", "x.ipynb: cell 1: 'source' must be a string or a list of strings")]
    [InlineData("""{"cells": [{"cell_type": "code", "source": "", "outputs": {}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""", "x.ipynb: cell 1: 'outputs' must be a list")]
    public void A_notebook_that_is_not_nbformat_4_gets_a_message_naming_the_file_and_what_was_expected(string json, string message)
    {
        // Given JSON that is not a valid nbformat 4 notebook
        // When it is parsed
        var error = Assert.Throws<NotebookFormatException>(() => IpynbSerializer.Parse(json, "x.ipynb"));

        // Then the message says what is wrong
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Duplicate_keys_are_an_error_rather_than_a_silent_loss()
    {
        // Given an object with the same key twice
        const string json = """{"cells": [], "metadata": {"a": 1, "a": 2}, "nbformat": 4, "nbformat_minor": 5}""";

        // When it is parsed
        var error = Assert.Throws<NotebookFormatException>(() => IpynbSerializer.Parse(json, "x.ipynb"));

        // Then the message names the key
        Assert.StartsWith("x.ipynb: invalid JSON: Duplicate property 'a'", error.Message);
    }
}
