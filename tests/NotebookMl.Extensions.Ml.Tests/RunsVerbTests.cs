using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Extensions.Ml.Tracking;
using NotebookMl.Kernel;
using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Events;
using NotebookMl.Testing;

namespace NotebookMl.Extensions.Ml.Tests;

/// <summary><c>#!runs</c> in a notebook: rich displays of tracked runs.</summary>
public sealed class RunsVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-runs-verb-").FullName;

    [Fact]
    public async Task Compare_shows_params_and_metrics_side_by_side_with_differences_marked_and_charts()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")));
        var ids = new List<string>();
        foreach (var lr in new[] { 0.1, 0.05 })
        {
            using var run = tracker.StartRun("cmp", $"lr-{lr}");
            run.LogParam("lr", lr).LogParam("depth", 6);
            for (var epoch = 0; epoch < 5; epoch++)
            {
                run.LogMetric("loss", lr / (epoch + 1), epoch);
            }

            ids.Add(run.Id);
        }

        var kernel = new CSharpKernel();
        kernel.AddMagicCommand(new RunsVerb(() => tracker));
        var events = new List<KernelEvent>();

        var final = await kernel.SendAsync(new SubmitCode($"#!runs compare {ids[0][..8]} {ids[1][..8]}"), events.Add);

        Assert.IsType<CommandSucceeded>(final);
        var values = events.OfType<DisplayedValueProduced>().Single().Values;
        var html = values.Single(v => v.MimeType == "text/html").Value;
        Assert.Matches("<tr class=\"differs\" style=\"background-color:#fff3bf\"><td[^>]*>lr</td><td[^>]*>0.1</td><td[^>]*>0.05</td>", html);
        Assert.Matches("<tr><td[^>]*>depth</td><td[^>]*>6</td><td[^>]*>6</td>", html);
        Assert.Contains("<h4>loss by step</h4>", html);
        Assert.Contains("\"type\":\"scatter\"", html);
        Assert.Contains("\"type\":\"parcoords\"", html);
        Assert.Contains("lr-0.1 (" + ids[0][..8] + ")", values.Single(v => v.MimeType == "text/plain").Value);
    }

    [Fact]
    public async Task Cells_can_start_runs_and_list_them_with_the_magic_command()
    {
        Environment.SetEnvironmentVariable("NOTEBOOKML_HOME", null);
        var kernel = new CSharpKernel();
        await kernel.LoadExtensionAsync(MlKernel.Extension());
        var home = Path.Combine(_folder, ".notebookml").Replace("\\", "\\\\", StringComparison.Ordinal);
        var events = new List<KernelEvent>();

        var logged = await kernel.SendAsync(new SubmitCode($$"""
            using NotebookMl.Core.Tracking;
            var tracker = Tracker.Open(new NotebookMl.Core.Workspaces.WorkspaceLocation(@"{{_folder}}", @"{{home}}"));
            using (var run = tracker.StartRun("cells", "from-a-cell")) { run.LogMetric("auc", 0.75); }
            tracker.ListRuns().Single().Name
            """), events.Add);

        Assert.IsType<CommandSucceeded>(logged);
        Assert.Contains("from-a-cell", events.OfType<ReturnValueProduced>().Single().Values.Single(v => v.MimeType == "text/plain").Value);
    }

    [Fact]
    public async Task Runs_list_show_and_delete_as_magic_commands_in_the_kernel()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")));
        var ids = new Dictionary<string, string>();
        foreach (var (name, auc) in new[] { ("middle", 0.71), ("best", 0.78), ("worst", 0.64) })
        {
            using var run = tracker.StartRun("magic", name);
            run.LogParam("leaves", 31).LogMetric("test_auc", auc);
            ids[name] = run.Id;
        }

        var kernel = new CSharpKernel();
        kernel.AddMagicCommand(new RunsVerb(() => tracker));

        var listed = TextTable.Parse(await PlainTextAsync(kernel, "#!runs list -e magic --order-by \"metrics.test_auc desc\""));
        var shown = await PlainTextAsync(kernel, $"#!runs show {ids["best"][..8]}");
        var deleted = await PlainTextAsync(kernel, $"#!runs delete {ids["worst"][..8]}");
        var after = TextTable.Parse(await PlainTextAsync(kernel, "#!runs list -e magic --order-by \"metrics.test_auc\""));

        Assert.Equal(["best", "middle", "worst"], listed.Select(r => r["name"]));
        Assert.Equal(["0.78", "0.71", "0.64"], listed.Select(r => r["metrics.test_auc"]));
        Assert.Equal([ids["best"][..8], ids["middle"][..8], ids["worst"][..8]], listed.Select(r => r["run"]));
        Assert.Contains(ids["best"], shown);
        Assert.Matches(@"test_auc\s+0\.78", shown);
        Assert.Matches(@"leaves\s+31", shown);
        Assert.Contains(ids["worst"][..8], deleted);
        Assert.Equal(["middle", "best"], after.Select(r => r["name"]));
        Assert.Equal(2, tracker.ListRuns().Count);
    }

    private static async Task<string> PlainTextAsync(CSharpKernel kernel, string code)
    {
        var events = new List<KernelEvent>();
        var final = await kernel.SendAsync(new SubmitCode(code), events.Add);
        Assert.True(final is CommandSucceeded, $"{code}: {(final as CommandFailed)?.Message}");
        return string.Concat(events.Select(e => e switch
        {
            DisplayedValueProduced d => d.Values.Single(v => v.MimeType == "text/plain").Value,
            ReturnValueProduced r => r.Values.Single(v => v.MimeType == "text/plain").Value,
            StandardStreamTextProduced t => t.Text,
            _ => "",
        }));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
