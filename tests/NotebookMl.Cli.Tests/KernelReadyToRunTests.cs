using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests;

/// <summary>
/// The build precompiles the Roslyn and MEF assemblies beside the kernel executable
/// (build/kernel-readytorun): without it, a fresh kernel's first cell and first completion JIT
/// Roslyn and take about twice as long (tests/benchmarks/RESULTS.md).
/// </summary>
public sealed class KernelReadyToRunTests
{
    [Fact]
    public void Roslyn_and_mef_beside_the_kernel_are_ready_to_run()
    {
        var folder = Path.GetDirectoryName(RepoPaths.CliExecutable)!;
        var assemblies = Directory.GetFiles(folder, "Microsoft.CodeAnalysis*.dll").Concat(Directory.GetFiles(folder, "System.Composition.*.dll")).ToArray();

        Assert.Contains(assemblies, a => Path.GetFileName(a) == "Microsoft.CodeAnalysis.CSharp.dll");
        Assert.Contains(assemblies, a => Path.GetFileName(a) == "Microsoft.CodeAnalysis.CSharp.Features.dll");
        if (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 && OperatingSystem.IsLinux())
        {
            Assert.All(assemblies, a => Assert.True(IsReadyToRun(a), $"{Path.GetFileName(a)} is IL only"));
        }
    }

    private static bool IsReadyToRun(string path)
    {
        using var reader = new PEReader(File.OpenRead(path));
        // crossgen2 records its native code in the CLI header's ManagedNativeHeader directory.
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
