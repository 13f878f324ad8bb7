using Xunit;

namespace NotebookMl.Testing;

/// <summary>
/// The built NotebookMl kernel installed with <c>notebookml kernel install --prefix</c> into a
/// temporary folder, as a user would install it; clients find it through <see cref="JupyterPath"/>
/// (a JUPYTER_PATH entry). Use as an xunit class fixture.
/// </summary>
public sealed class InstalledKernel : IAsyncLifetime
{
    /// <summary>The kernelspec name.</summary>
    public const string Name = "notebookml-csharp";

    /// <summary>The install prefix (removed when the fixture is disposed).</summary>
    public string Prefix { get; } = Directory.CreateTempSubdirectory("notebookml-kernelspec-").FullName;

    /// <summary>The Jupyter data folder holding <c>kernels/notebookml-csharp</c>.</summary>
    public string JupyterPath => Path.Combine(Prefix, "share", "jupyter");

    /// <summary>The environment for a Jupyter client process that should find this kernel.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["JUPYTER_PATH"] = JupyterPath,
        ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1",
    };

    /// <summary>Installs the kernelspec.</summary>
    public async Task InitializeAsync()
    {
        var install = await ProcessRunner.RunAsync(RepoPaths.CliExecutable, ["kernel", "install", "--prefix", Prefix], TimeSpan.FromMinutes(1));
        Assert.True(install.ExitCode == 0, install.Output);
    }

    /// <summary>Removes the prefix.</summary>
    public Task DisposeAsync()
    {
        Directory.Delete(Prefix, recursive: true);
        return Task.CompletedTask;
    }
}
