using NotebookMl.Testing;

namespace NotebookMl.Notebooks.Tests.Support;

/// <summary>The real Python nbformat (Debian's python3-nbformat), run as a process.</summary>
internal static class Nbformat
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>Fails the test unless nbformat reads and validates the notebook at <paramref name="path"/>.</summary>
    public static async Task AssertValidAsync(string path)
    {
        var result = await RunAsync(
            "import nbformat, sys; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb)", path);
        Assert.True(result.ExitCode == 0, $"nbformat rejected {path}:\n{result.Output}");
    }

    /// <summary>What <c>nbformat.write(nbformat.read(input))</c> writes: nbformat's normal form of a notebook.</summary>
    public static async Task<string> NormalizeAsync(string input, string output)
    {
        var result = await RunAsync(
            "import nbformat, sys; nbformat.write(nbformat.read(sys.argv[1], as_version=4), sys.argv[2])", input, output);
        Assert.True(result.ExitCode == 0, result.Output);
        return await File.ReadAllTextAsync(output);
    }

    /// <summary>Runs a script from Samples/ with the given arguments.</summary>
    public static async Task RunSampleScriptAsync(string script, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(RepoPaths.SystemPython, [Samples.Path(script), .. arguments], Timeout);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    private static Task<ProcessResult> RunAsync(string code, params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.SystemPython, ["-c", code, .. arguments], Timeout);
}
