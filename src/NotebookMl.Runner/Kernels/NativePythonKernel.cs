using System.Diagnostics;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// ipykernel's own <c>python3</c> spec, which jupyter_client offers when no <c>kernel.json</c>
/// names <c>python3</c>: available when <c>/usr/bin/python3</c> can import ipykernel (checked once).
/// </summary>
internal static class NativePythonKernel
{
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(20);
    private static readonly Lazy<KernelSpec?> s_spec = new(() => Probe(Python));

    /// <summary>The spec, or null when ipykernel cannot be imported.</summary>
    public static KernelSpec? Find() => s_spec.Value;

    /// <summary>Asks <paramref name="python"/> where ipykernel's resources are; null when it has no ipykernel.</summary>
    public static KernelSpec? Probe(string python)
    {
        if (!File.Exists(python))
        {
            return null;
        }

        var info = new ProcessStartInfo(python)
        {
            ArgumentList = { "-c", "import os, ipykernel; print(os.path.join(os.path.dirname(ipykernel.__file__), 'resources'))" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_probeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            var resources = output.Result.Trim();
            return process.ExitCode == 0 && resources.Length > 0
                ? new KernelSpec(
                    KernelSpecLocator.NativeKernelName,
                    "Python 3 (ipykernel)",
                    "python",
                    [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    new Dictionary<string, string>(),
                    KernelSpec.SignalInterrupt,
                    resources)
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
