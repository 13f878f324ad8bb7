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
    public async Task A_cell_keeps_at_most_three_quarters_of_what_roslyns_script_chain_keeps()
    {
        // Roslyn's scripting API keeps every submission's compilation, each with its own bound
        // references (about 60 KB a cell): the baseline, measured on the same cells with the
        // kernel's own options and globals. The kernel keeps its submissions too, but they share
        // bound references (about 35 KB a cell, most of it the default usings bound in each).
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
        // Back on the Script API, or each cell binding its references again (+17 KB), fails here;
        // so does anything else the kernel keeps of a cell (events, outputs, history) past 9 KB.
        Assert.True(perCell < 0.75 * baseline, $"the kernel kept {perCell / 1024:0.0} KB per cell; Roslyn's script chain {baseline / 1024:0.0} KB");
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
