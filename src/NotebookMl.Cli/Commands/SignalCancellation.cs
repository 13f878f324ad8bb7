using System.Runtime.InteropServices;

namespace NotebookMl.Cli.Commands;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation: the first cancels <see cref="Token"/> and keeps the
/// process alive so the command can stop cleanly and save what it has; a second ends it at once.
/// </summary>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;

    public SignalCancellation()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    public CancellationToken Token => _cancellation.Token;

    public bool IsCancellationRequested => _cancellation.IsCancellationRequested;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // A second signal takes the default action: the process ends.
        context.Cancel = !_cancellation.IsCancellationRequested;
        _cancellation.Cancel();
    }
}
