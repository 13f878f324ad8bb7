using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Events;

namespace NotebookMl.Kernel.Tests;

public sealed class LanguageServiceTests
{
    [Fact]
    public async Task Completions_offer_members_of_a_type()
    {
        var kernel = new KernelHarness();

        var completions = await kernel.RequestAsync<CompletionsProduced>(new RequestCompletions("Console.Wri", 11));

        Assert.Contains(completions.Items, i => i.InsertText == "WriteLine" && i.Kind == "Method");
        Assert.Equal(8, completions.Start);
        Assert.Equal(11, completions.End);
    }

    [Fact]
    public async Task Completions_know_variables_and_their_types_from_earlier_cells()
    {
        var kernel = new KernelHarness();
        await kernel.SubmitAsync("var customers = new List<string>();");

        var completions = await kernel.RequestAsync<CompletionsProduced>(new RequestCompletions("customers.Ad", 12));

        Assert.Contains(completions.Items, i => i.InsertText == "Add");
        Assert.Contains(completions.Items, i => i.InsertText == "AddRange");
    }

    [Fact]
    public async Task Completions_ignore_magic_lines_in_the_cell()
    {
        var kernel = new KernelHarness();
        var code = "#!time\nMath.Sq";

        var completions = await kernel.RequestAsync<CompletionsProduced>(new RequestCompletions(code, code.Length));

        Assert.Contains(completions.Items, i => i.InsertText == "Sqrt");
    }

    [Fact]
    public async Task Hover_shows_the_signature_and_the_xml_documentation()
    {
        var kernel = new KernelHarness();
        var code = "Math.Sqrt(2)";

        var hover = await kernel.RequestAsync<HoverTextProduced>(new RequestHoverText(code, 7));

        var plain = hover.Values.Single(v => v.MimeType == "text/plain").Value;
        Assert.Contains("double Math.Sqrt(double d)", plain);
        Assert.Contains("square root", plain);
    }

    [Fact]
    public async Task Hover_finds_a_variable_declared_in_an_earlier_cell()
    {
        var kernel = new KernelHarness();
        await kernel.SubmitAsync("var threshold = 0.5;");

        var hover = await kernel.RequestAsync<HoverTextProduced>(new RequestHoverText("threshold", 9));

        Assert.Contains("double", hover.Values.Single(v => v.MimeType == "text/plain").Value);
    }

    [Theory]
    [InlineData("var a = 1;", Completeness.Complete)]
    [InlineData("if (true) {", Completeness.Incomplete)]
    [InlineData("var xs = new[] { 1,", Completeness.Incomplete)]
    [InlineData("#!time", Completeness.Complete)]
    [InlineData("var = ;", Completeness.Invalid)]
    public async Task Completeness_comes_from_the_syntax_tree(string code, Completeness expected)
    {
        var kernel = new KernelHarness();

        var result = await kernel.RequestAsync<CompletenessDetermined>(new RequestCompleteness(code));

        Assert.Equal(expected, result.Status);
    }
}
