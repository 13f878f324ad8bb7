using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner.Tests.Kernels;

/// <summary>Finding kernelspecs in Jupyter's folders, in Jupyter's order.</summary>
public sealed class KernelSpecTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("notebookml-specs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_kernelspec_is_found_by_name_in_an_explicit_jupyter_path()
    {
        // Given a kernel.json under DATA/kernels/Demo
        var data = DataFolder("first", "Demo", """{"argv": ["demo", "-f", "{connection_file}"], "display_name": "Demo", "language": "demo", "interrupt_mode": "message", "env": {"A": "1"}}""");

        // When it is looked up by name in another case
        var spec = KernelSpec.Find("DEMO", [data]);

        // Then it is found, lowercase, with every field read
        Assert.NotNull(spec);
        Assert.Equal("demo", spec.Name);
        Assert.Equal("Demo", spec.DisplayName);
        Assert.Equal("demo", spec.Language);
        Assert.Equal(["demo", "-f", "{connection_file}"], spec.Argv);
        Assert.Equal("1", spec.Env["A"]);
        Assert.Equal(KernelSpec.MessageInterrupt, spec.InterruptMode);
        Assert.Equal(Path.Combine(data, "kernels", "Demo"), spec.ResourceDirectory);
    }

    [Fact]
    public void The_first_jupyter_path_holding_a_name_wins()
    {
        // Given the same name in two data folders
        var first = DataFolder("first", "demo", """{"argv": ["one"], "display_name": "One", "language": "x"}""");
        var second = DataFolder("second", "demo", """{"argv": ["two"], "display_name": "Two", "language": "x"}""");

        // When both are searched, the first first
        var spec = KernelSpec.Find("demo", [first, second]);

        // Then the first folder's spec is used, and its interrupt mode defaults to signal
        Assert.Equal("One", spec?.DisplayName);
        Assert.Equal(KernelSpec.SignalInterrupt, spec?.InterruptMode);
        Assert.Single(KernelSpec.FindAll([first, second]), s => s.Name == "demo");
    }

    [Fact]
    public void A_broken_kernel_json_fails_with_its_path()
    {
        // Given a kernel.json without argv
        var data = DataFolder("broken", "bad", """{"display_name": "Bad"}""");

        // When it is looked up
        var error = Assert.Throws<InvalidDataException>(() => KernelSpec.Find("bad", [data]));

        // Then the message names the file and the problem, and listing leaves it out
        Assert.Contains(Path.Combine(data, "kernels", "bad", "kernel.json"), error.Message);
        Assert.Contains("argv", error.Message);
        Assert.DoesNotContain(KernelSpec.FindAll([data]), s => s.Name == "bad");
    }

    [Fact]
    public void An_unknown_name_is_not_found()
    {
        Assert.Null(KernelSpec.Find("no-such-kernel-anywhere", [_root]));
    }

    [Fact]
    public void Python3_without_a_kernel_json_falls_back_to_ipykernel_as_jupyter_client_does()
    {
        // Given no kernels folder holds python3
        var locator = new KernelSpecLocator([Path.Combine(_root, "kernels")], () => NativePythonKernel.Probe(NativePythonKernel.Python));

        // When python3 is looked up
        var spec = locator.Find("python3");

        // Then ipykernel's own spec is used
        Assert.NotNull(spec);
        Assert.Equal(["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], spec.Argv);
        Assert.Equal("python", spec.Language);
        Assert.Equal("Python 3 (ipykernel)", spec.DisplayName);
        Assert.True(File.Exists(Path.Combine(spec.ResourceDirectory, "logo-64x64.png")), spec.ResourceDirectory);
        Assert.Contains(locator.FindAll(), s => s.Name == "python3");
    }

    [Fact]
    public void A_python_without_ipykernel_offers_no_fallback()
    {
        Assert.Null(NativePythonKernel.Probe("/bin/false"));
    }

    private string DataFolder(string data, string kernel, string json)
    {
        var folder = Path.Combine(_root, data, "kernels", kernel);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "kernel.json"), json);
        return Path.Combine(_root, data);
    }
}
