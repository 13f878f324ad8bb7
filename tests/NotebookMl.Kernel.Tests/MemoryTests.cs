using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Xunit.Abstractions;
using NotebookMl.Kernel.Display;

namespace NotebookMl.Kernel.Tests;

/// <summary>Heap measurements need the process to themselves: no other test runs beside them.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public sealed class MemoryTestsCollection;

[Collection(nameof(MemoryTests))]
public sealed class MemoryTests(ITestOutputHelper output)
{
    private const int WarmUpCells = 100;
    private const int Cells = 400;

    [Fact]
    public async Task A_cell_keeps_no_more_than_roslyns_own_submission_chain_plus_16_KB()
    {
        // Roslyn's scripting chain keeps every submission's compilation (about 70 KB a cell): the
        // baseline, measured on the same cells with the kernel's own options and globals.
        var baseline = await RoslynChainBytesPerCellAsync();
        var kernel = new KernelHarness();
        for (var i = 0; i < WarmUpCells; i++)
        {
            await kernel.SubmitAsync(Cell(i));
        }

        var before = HeapBytes();
        for (var i = WarmUpCells; i < WarmUpCells + Cells; i++)
        {
            await kernel.SubmitAsync(Cell(i));
        }

        var perCell = (HeapBytes() - before) / (double)Cells;

        output.WriteLine($"kernel {perCell / 1024:0.0} KB per cell, Roslyn's chain alone {baseline / 1024:0.0} KB");
        // Whatever the kernel keeps of a cell beyond Roslyn's chain (events, outputs, displays,
        // history) must stay under 16 KB: a leak of that size fails here.
        Assert.True(perCell - baseline < 16 * 1024, $"the kernel kept {perCell / 1024:0.0} KB per cell; Roslyn's chain alone {baseline / 1024:0.0} KB");
        Assert.InRange(baseline, 1024, 1024 * 1024);
        Assert.Equal($"{(WarmUpCells + Cells - 1) * 2}", (await kernel.SubmitAsync($"v{(WarmUpCells + Cells - 1) % 10}")).PlainResult);
    }

    private static string Cell(int i) => $"var v{i % 10} = {i} * 2;\nv{i % 10}";

    private static async Task<double> RoslynChainBytesPerCellAsync()
    {
        var globals = new KernelGlobals(new CSharpKernel());
        var state = await CSharpScript.RunAsync<object>("", CSharpKernel.DefaultScriptOptions(), globals);
        for (var i = 0; i < WarmUpCells; i++)
        {
            state = await state.ContinueWithAsync<object>(Cell(i));
        }

        var before = HeapBytes();
        for (var i = WarmUpCells; i < WarmUpCells + Cells; i++)
        {
            state = await state.ContinueWithAsync<object>(Cell(i));
        }

        var perCell = (HeapBytes() - before) / (double)Cells;
        GC.KeepAlive(state);
        return perCell;
    }

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
