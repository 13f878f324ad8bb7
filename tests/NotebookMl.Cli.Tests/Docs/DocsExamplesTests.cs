using System.Diagnostics;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Docs;

/// <summary>
/// Every example in the README and in docs/ runs, page by page, each in a fresh copy of the repository (what a clone holds)
/// with <c>notebookml</c> on PATH; the files they read are in the repository or made by an earlier step of the same page.
/// docs/cli.md is what the command tree generates now.
/// </summary>
public sealed class DocsExamplesTests
{
    public static TheoryData<string> Pages => new(new[] { "README.md" }.Concat(Directory.GetFiles(RepoPaths.Of("docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p)).Order(StringComparer.Ordinal)));

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_example_on_the_page_runs_in_a_fresh_clone(string page)
    {
        var script = MarkdownExamples.Script(page, await File.ReadAllTextAsync(RepoPaths.Of(page)));
        var clone = FreshClone();
        // The shared-store page runs against a fresh database on a real PostgreSQL server.
        using var store = page == "docs/store.md" ? new TestStore(postgres: true) : null;
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(clone, ".docs-bin")).FullName;
            File.CreateSymbolicLink(Path.Combine(bin, "notebookml"), RepoPaths.CliExecutable);
            await File.WriteAllTextAsync(Path.Combine(clone, ".docs-examples.sh"), script);
            var environment = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"), ["CI"] = "true" };
            if (store?.Url is { } url)
            {
                environment["NOTEBOOKML_STORE"] = url;
            }

            var run = await ProcessRunner.RunAsync("/bin/bash", [".docs-examples.sh"], TimeSpan.FromMinutes(10), environment, clone);
            var tail = run.Output.Length > 6000 ? "…" + run.Output[^6000..] : run.Output;
            Assert.True(run.ExitCode == 0, $"{page}: the examples stopped with exit code {run.ExitCode}; the last block run is the last '--- {page}:LINE' line:\n{tail}");
            if (page == "README.md")
            {
                // The tour's online lookups have values (materialized as of the data's own time), the endpoint answered the
                // request that left them out, and the traffic sent by predict --endpoint was answered with them: 3,000 rows × 2 online
                // features + the curl request's 2, all hits but one airport's row, whose last landing is older than the view's TTL.
                Assert.Matches(@"origin_landed:mean_landed_delay_3h\t-?\d+(\.\d+)?\t\n", run.StandardOutput);
                Assert.Matches(@"origin_landed:landed_3h\t\d+\t\n", run.StandardOutput);
                Assert.Contains("\"model_name\":\"flight-delays\",\"model_version\":\"1\"", run.StandardOutput);
                var counters = string.Join("\n", run.StandardOutput.Split('\n').Where(l => l.StartsWith("notebookml_online_features_total", StringComparison.Ordinal)));
                Assert.True(counters.Contains("notebookml_online_features_total{model=\"flight-delays\",outcome=\"hit\"} 6000\nnotebookml_online_features_total{model=\"flight-delays\",outcome=\"expired\"} 2", StringComparison.Ordinal), "the endpoint's online feature counters: " + counters);
            }
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
        }
    }

    [Fact]
    public async Task The_cli_reference_is_what_the_command_tree_generates()
    {
        var folder = Directory.CreateTempSubdirectory("notebookml-docs-").FullName;
        try
        {
            var generated = Path.Combine(folder, "cli.md");
            var run = await ProcessRunner.RunAsync(RepoPaths.CliExecutable, ["docs", "--out", generated], TimeSpan.FromMinutes(1), workingDirectory: folder);
            Assert.True(run.ExitCode == 0, run.Output);
            var expected = await File.ReadAllTextAsync(generated);
            var actual = await File.ReadAllTextAsync(RepoPaths.Of("docs", "cli.md"));
            Assert.True(expected == actual, "docs/cli.md is stale: run 'notebookml docs --out docs/cli.md' and commit it.");
            Assert.Contains("## notebookml runs list", actual);
            Assert.Contains("`--wide`", actual);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_README_is_a_newcomer_s_page_that_links_only_inside_the_repository()
    {
        var readme = File.ReadAllLines(RepoPaths.Of("README.md"));
        Assert.True(readme.Length <= 300, $"README.md has {readme.Length} lines; the reference belongs in docs/.");
        foreach (var page in new[] { "README.md" }.Concat(Directory.GetFiles(RepoPaths.Of("docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p))))
        {
            var text = File.ReadAllText(RepoPaths.Of(page));
            Assert.DoesNotContain("../shared", text);
            foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(text, @"\]\((?!https?://|#)([^)#]+)"))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepoPaths.Of(page))!, link.Groups[1].Value));
                Assert.True(File.Exists(target) || Directory.Exists(target), $"{page}: the link {link.Groups[1].Value} leads nowhere in the repository.");
                Assert.StartsWith(RepoPaths.Root, target);
            }
        }
    }

    /// <summary>What a clone of the repository holds (tracked files, and new ones not ignored), datasets linked rather than copied.</summary>
    private static string FreshClone()
    {
        var clone = Directory.CreateTempSubdirectory("notebookml-clone-").FullName;
        var list = Process.Start(new ProcessStartInfo("git", ["-C", RepoPaths.Root, "ls-files", "-co", "--exclude-standard", "-z"]) { RedirectStandardOutput = true })!;
        var files = list.StandardOutput.ReadToEnd().Split('\0', StringSplitOptions.RemoveEmptyEntries);
        list.WaitForExit();
        foreach (var file in files.Where(f => File.Exists(RepoPaths.Of(f))))
        {
            var target = Path.Combine(clone, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (file.StartsWith("datasets/", StringComparison.Ordinal) && new FileInfo(RepoPaths.Of(file)).Length > 1_000_000)
            {
                File.CreateSymbolicLink(target, RepoPaths.Of(file));
            }
            else
            {
                File.Copy(RepoPaths.Of(file), target);
            }
        }

        return clone;
    }
}
