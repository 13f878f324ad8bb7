namespace NotebookMl.Cli;

/// <summary>The exit codes of <c>notebookml</c>, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The work failed (a verb's action failed).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: a missing file, a malformed document, an unknown option.</summary>
    public const int BadInput = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM, as a shell reports SIGINT.</summary>
    public const int Interrupted = NotebookMl.Runner.RunResult.InterruptedExitCode;
}
