using Microsoft.Extensions.Time.Testing;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;
using NotebookMl.Runner.Scheduling;
using NotebookMl.Testing;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>A scheduler on a fake clock, a real store (SQLite or PostgreSQL) in a temporary workspace, and a scripted executor.</summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    private CancellationTokenSource? _stopping;
    private Task? _running;
    private PipelineScheduler? _scheduler;

    private readonly TestStore _store;

    public SchedulerHarness(StoreEngine engine = StoreEngine.Sqlite)
    {
        _store = new(engine == StoreEngine.PostgreSql, "notebookml-schedule-");
        Folder = _store.Folder;
        Workspace = new WorkspaceLocation(Folder, Path.Combine(Folder, WorkspaceLocation.StateFolderName));
        Store = new RunHistoryStore(WorkspaceDatabase.Open(Workspace));
    }

    public string Folder { get; }

    public WorkspaceLocation Workspace { get; }

    public FakeTimeProvider Clock { get; } = new(Start);

    public ScriptedExecutor Executor { get; } = new();

    public RecordingObserver Observer { get; } = new();

    public RunHistoryStore Store { get; }

    /// <summary>A pipeline that runs every minute at second 0, in UTC.</summary>
    public PipelineDefinition Pipeline(string name = "report", string cron = "0 * * * * *") => new()
    {
        Name = name,
        NotebookPath = Path.Combine(Folder, "report.ipynb"),
        Schedule = CronSchedule.Parse(cron, TimeZoneInfo.Utc),
    };

    public PipelineConfiguration Configuration(params PipelineDefinition[] pipelines) => new()
    {
        Path = Path.Combine(Folder, PipelineConfiguration.DefaultFileName),
        Workspace = Workspace,
        Pipelines = pipelines,
        RunsFolder = Path.Combine(Folder, "runs"),
        GracePeriod = TimeSpan.FromMinutes(1),
    };

    /// <summary>Starts a scheduler for <paramref name="pipelines"/> and waits until it has resumed them all.</summary>
    public async Task StartAsync(params PipelineDefinition[] pipelines)
    {
        _stopping = new CancellationTokenSource();
        var scheduler = _scheduler = new PipelineScheduler(Configuration(pipelines), Store, Executor, Clock, Observer);
        var stopping = _stopping.Token;
        _running = Task.Run(() => scheduler.RunAsync(CancellationToken.None, stopping));
        foreach (var pipeline in pipelines.Where(p => p.Enabled))
        {
            await Observer.WaitForAsync($"resumed {pipeline.Name}");
        }
    }

    /// <summary>Asks the scheduler to stop; <see cref="StoppedAsync"/> waits for it.</summary>
    public void Stop() => _stopping!.Cancel();

    /// <summary>Waits (10 s of real time at most) for the scheduler to have stopped.</summary>
    public async Task StoppedAsync() => await _running!.WaitAsync(TimeSpan.FromSeconds(10));

    public async Task StopAsync()
    {
        Stop();
        await StoppedAsync();
    }

    /// <summary>Moves the fake clock to <paramref name="time"/> (UTC, today of <see cref="Start"/>), e.g. "06:01:00".</summary>
    public void AdvanceTo(string time) => Clock.SetUtcNow(At(time));

    public static DateTimeOffset At(string time) => new(Start.Date + TimeSpan.Parse(time, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);

    /// <summary>
    /// Wakes the scheduler's loop and waits for it to report itself idle at the clock's time (it starts
    /// whatever is due before that), then checks that no attempt started.
    /// </summary>
    public async Task AssertNothingStartedAsync()
    {
        _scheduler!.Wake();
        await Observer.WaitForAsync($"idle at {Clock.GetUtcNow().UtcDateTime:HH:mm:ss}");
        Assert.False(Executor.HasPending, $"an attempt started; events: {string.Join(" | ", Observer.All)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is { IsCompleted: false })
        {
            await StopAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _store.Dispose();
    }
}
