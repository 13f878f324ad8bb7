using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NotebookMl.Kernel.Tests;

/// <summary><c>#r</c> of files and NuGet packages, restored for real by the .NET SDK.</summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("notebookml-packages-").FullName;

    [Fact]
    public async Task A_nuget_package_is_restored_referenced_and_usable()
    {
        var kernel = new KernelHarness(new KernelOptions { PackageCacheDirectory = _cache });

        var install = await kernel.SubmitAsync("#r \"nuget:Newtonsoft.Json,13.0.1\"");
        var use = await kernel.SubmitAsync("Newtonsoft.Json.JsonConvert.SerializeObject(new { a = 1 })");

        Assert.True(install.Succeeded, install.ToString());
        Assert.Contains("Installed package: Newtonsoft.Json 13.0.1", install.StandardOutput);
        Assert.True(use.Succeeded, use.ToString());
        Assert.Equal("{\"a\":1}", use.PlainResult);
    }

    [Fact]
    public async Task A_second_kernel_takes_the_same_packages_from_the_cache_without_restoring()
    {
        var first = new KernelHarness(new KernelOptions { PackageCacheDirectory = _cache });
        await first.SubmitAsync("#r \"nuget:Newtonsoft.Json,13.0.1\"");
        var second = new KernelHarness(new KernelOptions { PackageCacheDirectory = _cache, DotnetExecutable = "/nonexistent/dotnet" });

        var watch = Stopwatch.StartNew();
        var install = await second.SubmitAsync("#r \"nuget:Newtonsoft.Json,13.0.1\"\nNewtonsoft.Json.Linq.JObject.Parse(\"{\\\"b\\\":2}\")[\"b\"].ToString()");

        Assert.Equal("2", install.PlainResult);
        Assert.DoesNotContain("Restoring", install.StandardOutput);
    }

    [Fact]
    public async Task A_package_with_native_assets_loads_its_native_library()
    {
        var kernel = new KernelHarness(new KernelOptions { PackageCacheDirectory = _cache });

        var result = await kernel.SubmitAsync(
            "#r \"nuget:Microsoft.Data.Sqlite\"\nvar db = new Microsoft.Data.Sqlite.SqliteConnection(\"Data Source=:memory:\");\ndb.Open();\nvar cmd = db.CreateCommand(); cmd.CommandText = \"select sqlite_version()\";\ncmd.ExecuteScalar()");

        Assert.True(result.Succeeded, result.ToString());
        Assert.Matches(@"^3\.\d+\.\d+$", result.PlainResult);
    }

    [Fact]
    public async Task A_package_that_does_not_exist_fails_with_a_clear_message()
    {
        var kernel = new KernelHarness(new KernelOptions { PackageCacheDirectory = _cache });

        var result = await kernel.SubmitAsync("#r \"nuget:NotebookMl.No.Such.Package.Anywhere,1.0.0\"");

        Assert.Equal("PackageResolutionError", result.Failure.ErrorName);
        Assert.StartsWith("NuGet package 'NotebookMl.No.Such.Package.Anywhere' was not found", result.Failure.Message);
    }

    [Fact]
    public async Task An_assembly_file_is_referenced_with_hash_r()
    {
        var dll = Path.Combine(_cache, "Shapes.dll");
        var compilation = CSharpCompilation.Create(
            "Shapes",
            [CSharpSyntaxTree.ParseText("namespace Shapes; public static class Area { public static double Square(double side) => side * side; }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.True(compilation.Emit(dll).Success);
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync($"#r \"{dll}\"\nShapes.Area.Square(3)");

        Assert.Equal("9", result.PlainResult);
    }

    [Fact]
    public async Task A_framework_assembly_outside_the_defaults_is_referenced_by_name()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("#r \"System.Security.Cryptography\"\nConvert.ToHexString(System.Security.Cryptography.SHA256.HashData(new byte[] { 1 }))[..8]");

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("4BF5122F", result.PlainResult);
    }

    public void Dispose() => Directory.Delete(_cache, recursive: true);
}
