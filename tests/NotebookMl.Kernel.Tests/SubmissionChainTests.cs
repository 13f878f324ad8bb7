using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NotebookMl.Kernel.Execution;

namespace NotebookMl.Kernel.Tests;

/// <summary>
/// Cells are a chain of Roslyn submissions that share bound references (<see cref="RoslynInternals"/>);
/// these check what a chain must keep doing when most of its cells share them.
/// </summary>
public sealed class SubmissionChainTests
{
    [Fact]
    public void The_shipped_roslyn_lets_submissions_share_bound_references()
    {
        // When a Roslyn update renames its internals, cells still compile, but each binds its
        // references again (slower, more memory per cell): this test says so.
        Assert.True(RoslynInternals.CanShareReferences);
    }

    [Fact]
    public void A_submission_sharing_references_compiles_to_its_own_assembly()
    {
        var references = new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        var parse = new CSharpParseOptions(kind: SourceCodeKind.Script);
        var first = CSharpCompilation.CreateScriptCompilation("first", CSharpSyntaxTree.ParseText("var a = 1;", parse), references, options);
        Assert.True(first.Emit(Stream.Null).Success);
        var second = CSharpCompilation.CreateScriptCompilation("second", CSharpSyntaxTree.ParseText("a + 1", parse), [], options, first, typeof(object));

        Assert.True(RoslynInternals.TryShareReferences(first, second));

        using var image = new MemoryStream();
        Assert.True(second.Emit(image).Success);
        image.Position = 0;
        using var reader = new System.Reflection.PortableExecutable.PEReader(image);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        Assert.Equal("second", metadata.GetString(metadata.GetAssemblyDefinition().Name));
        Assert.Same(first.GetSpecialType(SpecialType.System_Int32), second.GetSpecialType(SpecialType.System_Int32));
    }

    [Fact]
    public async Task Usings_types_variables_and_references_carry_across_many_cells()
    {
        var kernel = new KernelHarness();

        await kernel.SubmitAsync("using System.Text.Json;");
        await kernel.SubmitAsync("class Counter { public int Count; }");
        await kernel.SubmitAsync("var counter = new Counter();");
        for (var i = 0; i < 30; i++)
        {
            Assert.True((await kernel.SubmitAsync($"var step = {i};\ncounter.Count += step;")).Succeeded);
        }

        var reference = await kernel.SubmitAsync("#r \"System.Xml.Linq\"\nvar xml = System.Xml.Linq.XElement.Parse(\"<n>5</n>\");");
        var result = await kernel.SubmitAsync("JsonSerializer.Serialize(new { counter.Count, Xml = (int)xml, step })");

        Assert.True(reference.Succeeded, reference.ToString());
        Assert.Equal("{\"Count\":435,\"Xml\":5,\"step\":29}", result.PlainResult);
        Assert.Equal(29, kernel.Kernel.Variables.Single(v => v.Name == "step").Value);
    }

    [Fact]
    public async Task A_cell_that_failed_to_compile_leaves_the_chain_as_it_was()
    {
        var kernel = new KernelHarness();

        await kernel.SubmitAsync("var a = 1;");
        var failed = await kernel.SubmitAsync("var b = a + missing;");
        var result = await kernel.SubmitAsync("var b = a + 1;\nb");

        Assert.Equal("CompilationError", failed.Failure.ErrorName);
        Assert.Equal("2", result.PlainResult);
        Assert.Equal(["a", "b"], kernel.Kernel.Variables.Select(v => v.Name).Order(StringComparer.Ordinal));
    }
}
