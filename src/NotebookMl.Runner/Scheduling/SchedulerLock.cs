namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// One scheduler per workspace: <c>.notebookml/scheduler.lock</c> held open and locked for as long as
/// the scheduler runs (the lock goes with the process, even when it is killed).
/// </summary>
public sealed class SchedulerLock : IDisposable
{
    private readonly FileStream _file;

    private SchedulerLock(FileStream file) => _file = file;

    /// <summary>Takes the lock in <paramref name="stateFolder"/>; another live scheduler is a clear error naming its pid.</summary>
    public static SchedulerLock Acquire(string stateFolder)
    {
        Directory.CreateDirectory(stateFolder);
        var path = Path.Combine(stateFolder, "scheduler.lock");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

            // The locked file cannot be read by others (.NET takes flock on it), so the holder's pid goes beside it.
            File.WriteAllText(PidPath(stateFolder), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new SchedulerLock(file);
        }
        catch (IOException)
        {
            var holder = File.Exists(PidPath(stateFolder)) ? File.ReadAllText(PidPath(stateFolder)).Trim() : "?";
            throw new RunnerInputException($"another scheduler (pid {holder}) is running for the workspace {Path.GetDirectoryName(stateFolder)}; stop it first (it holds {path}).");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private static string PidPath(string stateFolder) => Path.Combine(stateFolder, "scheduler.pid");
}
