namespace NotebookMl.Runner.Kernels;

/// <summary>The kernel process exited (or could not be started) while it was needed.</summary>
public sealed class KernelDiedException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> says what the kernel was doing.</summary>
    public KernelDiedException(string message, int? exitCode, string kernelLog)
        : base(message)
    {
        ExitCode = exitCode;
        KernelLog = kernelLog;
    }

    /// <summary>The process's exit code (128 + N when killed by signal N); null when it never started.</summary>
    public int? ExitCode { get; }

    /// <summary>The last lines the kernel wrote to stdout and stderr.</summary>
    public string KernelLog { get; }
}
