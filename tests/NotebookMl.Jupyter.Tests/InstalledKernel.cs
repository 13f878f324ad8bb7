using NotebookMl.Testing;

namespace NotebookMl.Jupyter.Tests;

/// <summary>
/// The built kernel installed with <c>notebookml kernel install --prefix</c> into a temporary
/// folder, as a user would install it; clients find it through JUPYTER_PATH.
/// </summary>
public sealed class InstalledKernel : IAsyncLifetime
{
    public string Prefix { get; } = Directory.CreateTempSubdirectory("notebookml-kernelspec-").FullName;

    public string JupyterPath => Path.Combine(Prefix, "share", "jupyter");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["JUPYTER_PATH"] = JupyterPath,
        ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1",
    };

    public async Task InitializeAsync()
    {
        var install = await ProcessRunner.RunAsync(RepoPaths.CliExecutable, ["kernel", "install", "--prefix", Prefix], TimeSpan.FromMinutes(1));
        Assert.True(install.ExitCode == 0, install.Output);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Prefix, recursive: true);
        return Task.CompletedTask;
    }
}
