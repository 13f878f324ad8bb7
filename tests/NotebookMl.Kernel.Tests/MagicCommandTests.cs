using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Formatting;

namespace NotebookMl.Kernel.Tests;

public sealed class MagicCommandTests
{
    [Fact]
    public async Task Lsmagic_lists_every_builtin_magic_command()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#!lsmagic");

        var html = result.Events.OfType<DisplayedValueProduced>().Single().Values.Single(v => v.MimeType == "text/html").Value;
        foreach (var name in new[] { "#!lsmagic", "#!time", "#!who", "#!whos", "#!about" })
        {
            Assert.Contains(name, html);
        }
    }

    [Fact]
    public async Task Time_runs_the_rest_of_the_cell_and_reports_the_wall_time()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#!time\nawait Task.Delay(200);\nvar done = true;");

        Assert.True(result.Succeeded, result.ToString());
        Assert.Matches(@"Wall time: \d+(\.\d+)? (ms|s)", result.StandardOutput);
        Assert.Equal("True", (await kernel.SubmitAsync("done")).PlainResult);
    }

    [Fact]
    public async Task Who_and_whos_show_the_declared_variables()
    {
        var kernel = new KernelHarness();
        await kernel.SubmitAsync("var alpha = 1; var beta = new List<string> { \"x\" };");

        var who = await kernel.SubmitAsync("#!who");
        var whos = await kernel.SubmitAsync("#!whos");

        Assert.Equal("alpha\tbeta\n", who.StandardOutput);
        var plain = whos.Events.OfType<DisplayedValueProduced>().Single().Values.Single(v => v.MimeType == "text/plain").Value;
        Assert.Contains("List<string>", plain);
        Assert.Contains("alpha", plain);
    }

    [Fact]
    public async Task About_names_the_product_and_runtime()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#!about");

        var plain = result.Events.OfType<DisplayedValueProduced>().Single().Values.Single(v => v.MimeType == "text/plain").Value;
        Assert.Contains("NotebookMl", plain);
        Assert.Contains(".NET", plain);
    }

    [Fact]
    public async Task An_unknown_magic_command_fails_listing_the_valid_ones()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#!nosuch --flag");

        Assert.Equal("MagicCommandError", result.Failure.ErrorName);
        Assert.Equal("Unknown magic command '#!nosuch'. Valid magic commands: #!about, #!lsmagic, #!time, #!who, #!whos.", result.Failure.Message);
    }

    [Theory]
    [InlineData("#!fsharp\nlet x = 1")]
    [InlineData("#!set --name x --value 1")]
    [InlineData("#!value --name data\n1,2")]
    [InlineData("#!share --from fsharp x")]
    public async Task A_polyglot_cell_only_dotnet_interactive_runs_names_the_kernel_that_does(string cell)
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync(cell);

        var name = cell[2..].Split(' ', '\n')[0];
        Assert.Equal("MagicCommandError", result.Failure.ErrorName);
        Assert.Equal($"#!{name} needs .NET Interactive's kernel (Polyglot Notebooks, the .net-csharp Jupyter kernel, or 'notebookml run --kernel .net-csharp'); the notebookml-csharp kernel runs C# and NotebookMl's magic commands only.", result.Failure.Message);
        Assert.Empty(result.Failure.Traceback);
        Assert.Equal("2", (await kernel.SubmitAsync("1 + 1")).PlainResult);
    }

    [Fact]
    public async Task A_bad_option_fails_naming_it_and_the_valid_options()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#!time --bogus");

        Assert.Equal("#!time: unknown option '--bogus' for '#!time'; see '#!time -h'.", result.Failure.Message);
    }

    [Fact]
    public async Task Dash_h_prints_help_for_the_magic_command()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#!whos -h");
        var time = await kernel.SubmitAsync("#!time -h");

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("Show the variables declared so far", result.StandardOutput);
        // Usage as a notebook user types it, not the bare command name.
        Assert.Contains("Usage:\n  #!time", time.StandardOutput.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("Usage:\n  time", time.StandardOutput.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Html_and_markdown_cells_show_their_lines_as_they_are()
    {
        var kernel = new KernelHarness();

        var html = await kernel.SubmitAsync("#!html\n<b>bold</b>\n#!markdown\n# Title");

        Assert.True(html.Succeeded, html.ToString());
        Assert.Contains(html.Displays, d => d.Any(v => v.MimeType == "text/html" && v.Value == "<b>bold</b>"));
        Assert.Contains(html.Displays, d => d.Any(v => v.MimeType == "text/markdown" && v.Value == "# Title"));
    }

    [Fact]
    public async Task Polyglot_kernel_selectors_are_accepted_in_a_csharp_kernel()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#!csharp\n6 * 7");

        Assert.Equal("42", result.PlainResult);
    }

    [Fact]
    public async Task A_magic_command_added_by_an_extension_runs_with_its_options()
    {
        var kernel = new KernelHarness();
        kernel.Kernel.AddMagicCommand(new GreetVerb());

        var result = await kernel.SubmitAsync("#!greet --name \"Ada Lovelace\"");

        Assert.Equal("Hello, Ada Lovelace!\n", result.StandardOutput);
    }

    [Fact]
    public async Task Code_lines_keep_their_cell_line_numbers_after_a_magic_line()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#!time\nvar ok = 1;\nvar bad = nope;");

        Assert.StartsWith("(3,11): error CS0103", result.Failure.Message);
    }
}
