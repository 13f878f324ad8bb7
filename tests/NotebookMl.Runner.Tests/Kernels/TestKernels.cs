using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner.Tests.Kernels;

/// <summary>Starting real kernels from tests, every wait bounded.</summary>
internal static class TestKernels
{
    /// <summary>Generous: two test classes may start kernels at once on a two-core machine.</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    /// <summary>The most any one cell of these tests may take before the test fails.</summary>
    public static readonly TimeSpan Cell = TimeSpan.FromSeconds(60);

    public static Task<KernelClient> StartAsync(KernelSpec spec, string workingDirectory) =>
        KernelClient.StartAsync(spec, workingDirectory, TimeProvider.System, Startup, CancellationToken.None).WaitAsync(Startup + TimeSpan.FromSeconds(10));

    /// <summary>Disposes <paramref name="kernel"/> (bounded), then deletes its working folder.</summary>
    public static async Task StopAsync(KernelClient? kernel, string workingDirectory)
    {
        try
        {
            if (kernel is not null)
            {
                await kernel.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="code"/>, failing the test if it takes longer than <see cref="Cell"/>.</summary>
    public static Task<CellExecution> RunAsync(this KernelClient kernel, string code, TimeSpan? timeout = null, Action<System.Text.Json.Nodes.JsonObject>? onOutput = null) =>
        kernel.ExecuteAsync(code, onOutput, timeout, CancellationToken.None).WaitAsync(Cell);

    public static string? PlainText(this CellExecution execution, int output = 0) =>
        execution.Outputs[output]["data"]?["text/plain"]?.GetValue<string>();
}
