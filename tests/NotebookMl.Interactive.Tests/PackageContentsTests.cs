using System.IO.Compression;
using NotebookMl.Testing;

namespace NotebookMl.Interactive.Tests;

/// <summary>
/// What the .NET Interactive package carries: NotebookMl's verbs and their contract (NotebookMl.Verbs), never our Roslyn
/// kernel nor a Roslyn of its own: the host pins its own Roslyn, and the package must not bring or ask for another.
/// </summary>
public sealed class PackageContentsTests
{
    [Fact]
    public void The_package_ships_the_verbs_without_the_kernel_or_Roslyn()
    {
        var package = Directory.GetFiles(RepoPaths.Of("artifacts", "packages"), "NotebookMl.Interactive.*.nupkg").Single();
        using var zip = ZipFile.OpenRead(package);
        var files = zip.Entries.Select(e => e.FullName).ToArray();
        var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();

        Assert.Contains(files, f => f.EndsWith("/NotebookMl.Verbs.dll", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("/NotebookMl.Extensions.Ml.dll", StringComparison.Ordinal));
        Assert.Contains("interactive-extensions/dotnet/NotebookMl.Interactive.dll", files);
        Assert.DoesNotContain(files, f => f.EndsWith("/NotebookMl.Kernel.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.DoesNotContain("Microsoft.CodeAnalysis", nuspec);
    }
}
