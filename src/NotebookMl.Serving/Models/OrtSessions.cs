using Microsoft.ML.OnnxRuntime;

namespace NotebookMl.Serving.Models;

/// <summary>
/// ONNX Runtime sessions for served versions. A build with <c>-p:OnnxRuntimeBackend=cuda</c> (Microsoft.ML.OnnxRuntime.Gpu)
/// runs on the CUDA execution provider when a GPU is there, and falls back to the CPU when it is not; the default build
/// runs on the CPU.
/// </summary>
internal static class OrtSessions
{
    /// <summary>
    /// A session over <paramref name="onnx"/>, and the execution provider it runs on (CUDA or CPU). With
    /// <paramref name="sequential"/> every run stays on the calling thread (no intra-op threads): a shadow runs so, on a
    /// thread of its own at low priority.
    /// </summary>
    public static (InferenceSession Session, string Provider) Create(byte[] onnx, bool sequential = false)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (sequential)
        {
            options.IntraOpNumThreads = 1;
            options.InterOpNumThreads = 1;
            options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
        }

        var provider = "CPU";
#if ONNXRUNTIME_CUDA
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            provider = "CUDA";
        }
        catch (OnnxRuntimeException)
        {
            // No usable GPU or CUDA runtime here: the CPU provider serves.
            provider = "CPU (no CUDA device)";
        }
#endif
        return (new InferenceSession(onnx, options), provider);
    }
}
