using NotebookMl.Testing;

namespace NotebookMl.Runner.Tests.Kernels;

/// <summary>
/// The NotebookMl C# kernel installed with <c>notebookml kernel install --prefix</c> into a
/// temporary folder, as a user would; tests find it by passing that prefix's data folder.
/// </summary>
public sealed class InstalledCSharpKernel : IAsyncLifetime
{
    public const string Name = "notebookml-csharp";

    public string Prefix { get; } = Directory.CreateTempSubdirectory("notebookml-kernelspec-").FullName;

    /// <summary>The Jupyter data folder holding <c>kernels/notebookml-csharp</c> (a JUPYTER_PATH entry).</summary>
    public string JupyterPath => Path.Combine(Prefix, "share", "jupyter");

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
