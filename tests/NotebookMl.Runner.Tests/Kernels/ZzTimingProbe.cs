using System.Diagnostics;
using NotebookMl.Runner.Kernels;
namespace NotebookMl.Runner.Tests.Kernels;
public sealed class ZzTimingProbe(InstalledCSharpKernel installed) : IClassFixture<InstalledCSharpKernel>
{
    [Fact]
    public async Task Probe()
    {
        var lines = new List<string>();
        foreach (var spec in new[] { KernelSpec.Find("python3")!, KernelSpec.Find("notebookml-csharp", [installed.JupyterPath])! })
        {
            for (var i = 0; i < 3; i++)
            {
                var w = Stopwatch.StartNew();
                await using var k = await KernelClient.StartAsync(spec, "/tmp", TimeProvider.System, TimeSpan.FromSeconds(60), CancellationToken.None);
                var start = w.Elapsed; w.Restart();
                await k.ExecuteAsync("1+1", null, null, default); var first = w.Elapsed; w.Restart();
                for (var j = 0; j < 20; j++) await k.ExecuteAsync("1+1", null, null, default);
                var rt = w.Elapsed / 20; w.Restart();
                await k.DisposeAsync(); var d = w.Elapsed;
                lines.Add($"{spec.Name}: start {start.TotalMilliseconds:0} ms, first cell {first.TotalMilliseconds:0} ms, round trip {rt.TotalMilliseconds:0.0} ms, dispose {d.TotalMilliseconds:0} ms");
            }
        }
        File.WriteAllLines("/tmp/timing-probe.txt", lines);
    }
}
