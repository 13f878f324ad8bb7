using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// The kernel's child process: started from its spec's argv with our environment plus the spec's,
/// its stdout and stderr kept as a bounded tail, its stdin a pipe nothing is written to.
/// </summary>
internal sealed partial class KernelProcess : IDisposable
{
    private const int LogLines = 200;

    private readonly Process _process;
    private readonly LogTail _log = new(LogLines);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool _disposed;
    private int? _exitCode;

    private KernelProcess(Process process) => _process = process;

    /// <summary>The process id (kept after <see cref="Dispose"/>).</summary>
    public int Id { get; private set; }

    /// <summary>True once the process has exited (after <see cref="Dispose"/>, always: it was stopped).</summary>
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The exit code once exited (128 + N for a process killed by signal N), else null.</summary>
    public int? ExitCode => _disposed ? _exitCode : _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines of the kernel's stdout and stderr.</summary>
    public string Log => _log.ToString();

    /// <summary>Starts the kernel; a command that cannot be run fails with <see cref="KernelDiedException"/>.</summary>
    public static KernelProcess Start(KernelSpec spec, string connectionFile, string workingDirectory)
    {
        var argv = spec.Argv.Select(a => a.Replace("{connection_file}", connectionFile).Replace("{resource_dir}", spec.ResourceDirectory)).ToArray();
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in argv.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Env)
        {
            info.Environment[name] = Substitute(value);
        }

        info.Environment["JPY_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = info };
        var kernel = new KernelProcess(process);
        process.OutputDataReceived += (_, e) => kernel.Received(e.Data, kernel._stdoutClosed);
        process.ErrorDataReceived += (_, e) => kernel.Received(e.Data, kernel._stderrClosed);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new KernelDiedException($"the {spec.Name} kernel could not be started: '{argv[0]}' failed ({e.Message})", null, "");
        }

        kernel.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return kernel;
    }

    /// <summary>Adds a line of the client's own to the log tail (e.g. a message it had to ignore).</summary>
    public void Note(string line) => _log.Add(line);

    /// <summary>Waits (at most <paramref name="limit"/>) for the kernel's output to be read to its end, so the log tail is complete.</summary>
    public async Task DrainOutputAsync(TimeSpan limit)
    {
        try
        {
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            // A grandchild may hold the pipes open; the tail so far is what there is.
        }
    }

    /// <summary>The exception for a kernel found exited, once its last output is read.</summary>
    public async Task<KernelDiedException> DiedAsync(string kernelName, string when)
    {
        await DrainOutputAsync(TimeSpan.FromSeconds(1));
        return new KernelDiedException($"the {kernelName} kernel died (exit code {ExitCode}) {when}", ExitCode, Log);
    }

    /// <summary>Waits at most <paramref name="limit"/> for the process to exit; true when it has.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        while (!_process.HasExited)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return _process.HasExited;
            }
        }

        return true;
    }

    /// <summary>Sends SIGINT (for <c>interrupt_mode: signal</c>).</summary>
    public bool Interrupt() => !_process.HasExited && ProcessSignals.Interrupt(_process.Id);

    /// <summary>Kills the kernel and anything it started.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(2000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _exitCode = ExitCode;
        _disposed = true;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The kernel is gone; the pipe is broken.
        }

        _process.Dispose();
    }

    private void Received(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
        }
        else
        {
            _log.Add(line);
        }
    }

    // kernel.json env values may name our variables as ${NAME}, as jupyter_client's string.Template does.
    private static string Substitute(string value) =>
        Variable().Replace(value, m => Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? m.Value);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
