using System.Runtime;
using TorchSharp.Modules;

namespace NotebookMl.Training.Torch;

/// <summary>
/// One optimizer step with no garbage collection in the middle of it. TorchSharp's Adam passes
/// implicit <c>Scalar</c> temporaries to native calls by handle; a collection during the call could
/// finalize one while libtorch reads it, which showed once as "Unknown scalar type" in
/// <c>at::native::add_</c> (a clean-clone test run, 2026-11-30). A step allocates little managed
/// memory, so a no-GC region around it is cheap; when one cannot be had the step runs as before.
/// </summary>
internal static class OptimizerSteps
{
    private const long Budget = 16L << 20;

    public static void Step(OptimizerHelper optimizer)
    {
        var noGc = GCSettings.LatencyMode != GCLatencyMode.NoGCRegion && GC.TryStartNoGCRegion(Budget);
        try
        {
            optimizer.step();
        }
        finally
        {
            if (noGc && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }
}
