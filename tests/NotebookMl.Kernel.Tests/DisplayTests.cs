using System.Text.RegularExpressions;
using NotebookMl.Kernel.Events;

namespace NotebookMl.Kernel.Tests;

public sealed class DisplayTests
{
    [Fact]
    public async Task Display_returns_a_handle_whose_update_replaces_that_output()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("var h = display(\"first\");\nh.Update(\"second\");");

        var shown = Assert.Single(result.Events.OfType<DisplayedValueProduced>());
        var updated = Assert.Single(result.Events.OfType<DisplayedValueUpdated>());
        Assert.Equal(shown.DisplayId, updated.DisplayId);
        Assert.Equal("first", shown.Values.Single(v => v.MimeType == "text/plain").Value);
        Assert.Equal("second", updated.Values.Single(v => v.MimeType == "text/plain").Value);
    }

    [Fact]
    public async Task Display_as_an_extension_method_shows_and_updates_in_the_cell_whatever_the_values_type()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("var shown = \"first\".Display();\nshown.Update(\"second\");\nobject boxed = 42;\nboxed.Display();");

        Assert.True(result.Succeeded, string.Join(", ", result.Events));
        var produced = result.Events.OfType<DisplayedValueProduced>().ToArray();
        var updated = Assert.Single(result.Events.OfType<DisplayedValueUpdated>());
        Assert.Equal(produced[0].DisplayId, updated.DisplayId);
        Assert.Equal("first", produced[0].Values.Single(v => v.MimeType == "text/plain").Value);
        Assert.Equal("second", updated.Values.Single(v => v.MimeType == "text/plain").Value);
        // A value typed object takes the Formatting package's Display(), routed to the cell too.
        Assert.Equal("42", produced[1].Values.Single(v => v.MimeType == "text/plain").Value);
    }

    [Fact]
    public async Task A_display_can_be_updated_from_a_later_cell()
    {
        var kernel = new KernelHarness();
        var first = await kernel.SubmitAsync("var progress = display(\"0%\");");

        var later = await kernel.SubmitAsync("progress.Update(\"100%\");");

        Assert.Equal(first.Events.OfType<DisplayedValueProduced>().Single().DisplayId, later.Events.OfType<DisplayedValueUpdated>().Single().DisplayId);
    }

    [Fact]
    public async Task Objects_and_sequences_render_as_html_tables_and_plain_text()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("new[] { new { Name = \"a\", Value = 1 }, new { Name = \"b\", Value = 2 } }");

        var values = result.Events.OfType<ReturnValueProduced>().Single().Values;
        var html = values.Single(v => v.MimeType == "text/html").Value;
        // As in Polyglot Notebooks: one row per item, its summary, and its properties when expanded.
        Assert.Equal([["index", "value"]], Cells(html, "th"));
        Assert.Equal(["{ Name = a, Value = 1 }", "{ Name = b, Value = 2 }"], Regex.Matches(html, "<code>(.*?)</code>").Select(m => m.Groups[1].Value));
        Assert.Equal([["Name", "a"], ["Value", "1"], ["Name", "b"], ["Value", "2"]], Cells(html, "td").Where(r => r.Length == 2 && r[0] is "Name" or "Value"));
        var text = values.Single(v => v.MimeType == "text/plain").Value;
        Assert.Matches(@"- Name: a\s+Value: 1\s+- Name: b\s+Value: 2", text);
    }

    /// <summary>The text of the innermost rows' <paramref name="cell"/> elements (th or td), row by row, tags stripped.</summary>
    private static string[][] Cells(string html, string cell) =>
        Regex.Matches(html, "<tr>((?:(?!<tr>).)*?)</tr>", RegexOptions.Singleline)
            .Select(row => Regex.Matches(row.Groups[1].Value, $"<{cell}>(.*?)</{cell}>", RegexOptions.Singleline)
                .Select(m => Visible(m.Groups[1].Value)).ToArray())
            .Where(r => r.Length > 0)
            .ToArray();

    /// <summary>What a browser shows of <paramref name="html"/>: no style sheets, no tags, entities decoded.</summary>
    private static string Visible(string html) =>
        System.Net.WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(html, "<style>.*?</style>", "", RegexOptions.Singleline), "<[^>]+>", "")).Trim();

    [Fact]
    public async Task A_formatter_registered_in_a_cell_is_used_for_later_results()
    {
        var kernel = new KernelHarness();
        await kernel.SubmitAsync("record Money(decimal Amount);\nFormatter.Register<Money>(m => $\"<b>{m.Amount:0.00} EUR</b>\", \"text/html\");");

        var result = await kernel.SubmitAsync("new Money(3.5m)");

        Assert.Equal("<b>3.50 EUR</b>", result.Events.OfType<ReturnValueProduced>().Single().Values.Single(v => v.MimeType == "text/html").Value);
    }

    [Fact]
    public async Task Display_with_a_mime_type_renders_only_that_type()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("display(42, \"text/html\");");

        var shown = result.Events.OfType<DisplayedValueProduced>().Single();
        var value = Assert.Single(shown.Values);
        Assert.Equal("text/html", value.MimeType);
        Assert.Equal("42", Visible(value.Value));
    }

    [Fact]
    public async Task Console_ReadLine_asks_the_front_end_and_the_prompt_is_the_unfinished_line()
    {
        var kernel = new KernelHarness();
        string? askedPrompt = null;

        var result = await kernel.SubmitAsync(
            "Console.Write(\"Name: \"); var name = Console.ReadLine(); Console.WriteLine($\"hi {name}\");",
            (prompt, _, _) => { askedPrompt = prompt; return Task.FromResult("world"); });

        Assert.Equal("Name: ", askedPrompt);
        Assert.Contains("hi world", result.StandardOutput);
    }

    [Fact]
    public async Task Console_ReadLine_without_a_front_end_that_accepts_input_fails_clearly()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("Console.ReadLine()");

        Assert.Contains("allow_stdin is false", result.Failure.Message);
    }
}
