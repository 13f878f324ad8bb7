using NotebookMl.Testing;

namespace NotebookMl.Training.Tests;

/// <summary>The real onnx checker (Debian's python3-onnx) with full_check.</summary>
internal static class OnnxChecker
{
    public static async Task<string> CheckAsync(string path)
    {
        var run = await ProcessRunner.RunAsync(
            RepoPaths.SystemPython,
            ["-c", "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print('ok', m.ir_version, sorted((o.domain, o.version) for o in m.opset_import), sorted(p.key for p in m.metadata_props), [i.name for i in m.graph.input], [o.name for o in m.graph.output])", path],
            TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Output);
        return run.Output;
    }
}
