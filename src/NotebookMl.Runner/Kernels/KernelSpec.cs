namespace NotebookMl.Runner.Kernels;

/// <summary>
/// An installed Jupyter kernel: how to start it (a <c>kernel.json</c>), found the way
/// <c>jupyter kernelspec list</c> finds it.
/// </summary>
/// <param name="Name">The kernelspec name: its folder's name, lowercase (as Jupyter matches names).</param>
/// <param name="DisplayName">The name Jupyter shows in its kernel pickers.</param>
/// <param name="Language">The language the kernel runs (<c>python</c>, <c>C#</c>, …).</param>
/// <param name="Argv">
/// The command line that starts the kernel; <c>{connection_file}</c> and <c>{resource_dir}</c> are
/// replaced when it starts.
/// </param>
/// <param name="Env">Variables added to the kernel's environment (<c>${NAME}</c> is replaced by ours).</param>
/// <param name="InterruptMode"><c>signal</c> (SIGINT to the process) or <c>message</c> (<c>interrupt_request</c> on control).</param>
/// <param name="ResourceDirectory">The folder holding <c>kernel.json</c> and the kernel's logos.</param>
public sealed record KernelSpec(
    string Name,
    string DisplayName,
    string Language,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    string InterruptMode,
    string ResourceDirectory)
{
    /// <summary>The <see cref="InterruptMode"/> that sends SIGINT to the kernel process.</summary>
    public const string SignalInterrupt = "signal";

    /// <summary>The <see cref="InterruptMode"/> that sends <c>interrupt_request</c> on the control channel.</summary>
    public const string MessageInterrupt = "message";

    /// <summary>
    /// The kernelspec named <paramref name="name"/> (case-insensitive), or null when none is
    /// installed. Folders are searched in Jupyter's order: <paramref name="jupyterPaths"/> (data
    /// folders, like entries of <c>JUPYTER_PATH</c>), then <c>$JUPYTER_PATH</c>, the user's data
    /// folder, <c>/usr/local/share/jupyter</c> and <c>/usr/share/jupyter</c>; the first match wins.
    /// As jupyter_client does, <c>python3</c> falls back to ipykernel's own spec when no
    /// <c>kernel.json</c> names it and <c>/usr/bin/python3</c> can import ipykernel.
    /// </summary>
    /// <exception cref="InvalidDataException">The matching <c>kernel.json</c> is not valid; the message names the file.</exception>
    public static KernelSpec? Find(string name, IReadOnlyList<string>? jupyterPaths = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return KernelSpecLocator.ForJupyterPaths(jupyterPaths).Find(name);
    }

    /// <summary>
    /// Every installed kernelspec, by name, searched as <see cref="Find"/> searches; a
    /// <c>kernel.json</c> that is not valid is left out (as <c>jupyter kernelspec list</c> does).
    /// </summary>
    public static IReadOnlyList<KernelSpec> FindAll(IReadOnlyList<string>? jupyterPaths = null) =>
        KernelSpecLocator.ForJupyterPaths(jupyterPaths).FindAll();
}
