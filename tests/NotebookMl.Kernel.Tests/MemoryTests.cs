namespace NotebookMl.Kernel.Tests;

public sealed class MemoryTests
{
    [Fact]
    public async Task A_thousand_small_cells_do_not_grow_the_managed_heap_without_bound()
    {
        var kernel = new KernelHarness();
        for (var i = 0; i < 200; i++)
        {
            await kernel.SubmitAsync($"var v{i % 10} = {i} * 2;");
        }

        var afterWarmUp = HeapBytes();
        for (var i = 200; i < 1000; i++)
        {
            await kernel.SubmitAsync($"var v{i % 10} = {i} * 2;");
        }

        var perCell = (HeapBytes() - afterWarmUp) / 800.0;
        // Each cell keeps its compiled submission (Roslyn's state chain), a few KB; gigabytes after
        // ~1000 cells, as users saw before, would be over a megabyte a cell.
        Assert.True(perCell < 256 * 1024, $"the managed heap grew {perCell / 1024:0.0} KB per cell");
        Assert.Equal("1998", (await kernel.SubmitAsync("v9")).PlainResult);
    }

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
