using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.FreshMachine;

/// <summary>The repository's working tree as <c>git clone</c> would give it: tracked and untracked files git does not ignore.</summary>
internal static class WorkingTree
{
    /// <summary>Copies the working tree into <paramref name="folder"/>.</summary>
    public static async Task CopyToAsync(string folder)
    {
        var files = await ProcessRunner.RunAsync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], TimeSpan.FromMinutes(1), workingDirectory: RepoPaths.Root);
        Assert.True(files.ExitCode == 0, $"the tests copy the working tree with git: {files.Output}");
        foreach (var file in files.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(RepoPaths.Root, file);
            if (!File.Exists(source))
            {
                continue; // deleted but not yet staged
            }

            var target = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }
}
