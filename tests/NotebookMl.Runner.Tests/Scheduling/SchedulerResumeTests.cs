using NotebookMl.Core.Storage;
using NotebookMl.Runner.Scheduling;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>The scheduler on a fake clock, starting again: catch-up policies, restart from the store, orphaned rows.</summary>
public abstract class SchedulerResumeTests(StoreEngine engine) : IAsyncLifetime
{
    private readonly SchedulerHarness _harness = new(engine);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_first_start_runs_nothing_from_the_past()
    {
        await _harness.StartAsync(_harness.Pipeline() with { CatchUp = CatchUpPolicy.All });

        await _harness.AssertNothingStartedAsync();

        Assert.DoesNotContain(_harness.Observer.All, e => e.StartsWith("missed", StringComparison.Ordinal));
        Assert.Equal(SchedulerHarness.Start, _harness.Store.Watermark("report"));
    }

    [Theory]
    [InlineData(CatchUpPolicy.None, new string[0])]
    [InlineData(CatchUpPolicy.Latest, new[] { "06:00:00" })]
    [InlineData(CatchUpPolicy.All, new[] { "05:56:00", "05:57:00", "05:58:00", "05:59:00", "06:00:00" })]
    public async Task Occurrences_missed_while_down_are_run_by_the_catch_up_policy(CatchUpPolicy policy, string[] expected)
    {
        _harness.Store.SetWatermark("report", SchedulerHarness.At("05:55:00"));

        await _harness.StartAsync(_harness.Pipeline() with { CatchUp = policy });
        await _harness.Observer.WaitForAsync("missed report 5");
        var ran = new List<ScriptedExecutor.Call>();
        foreach (var _ in expected)
        {
            ran.Add(await _harness.Executor.NextAsync());
        }

        // The catch-up runs have finished (overlap: skip would skip 06:01 beside a run still recording).
        foreach (var time in expected)
        {
            await _harness.Observer.WaitForAsync($"finished report {time} a1");
        }

        await _harness.AssertNothingStartedAsync();
        Assert.Equal(expected.Select(SchedulerHarness.At), ran.Select(c => c.Attempt.ScheduledTime));
        Assert.All(ran, c => Assert.Equal(RunTrigger.CatchUp, c.Attempt.Trigger));
        _harness.AdvanceTo("06:01:00");
        Assert.Equal(SchedulerHarness.At("06:01:00"), (await _harness.Executor.NextAsync()).Attempt.ScheduledTime);
    }

    [Fact]
    public async Task Restarting_resumes_from_the_store_and_catches_up_what_was_missed_while_stopped()
    {
        var pipeline = _harness.Pipeline() with { CatchUp = CatchUpPolicy.Latest };
        await _harness.StartAsync(pipeline);
        _harness.AdvanceTo("06:01:00");
        await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("finished report 06:01:00");
        await _harness.StopAsync();

        _harness.AdvanceTo("06:04:30");
        await _harness.StartAsync(pipeline);
        await _harness.Observer.WaitForAsync("missed report 3");
        var caughtUp = await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("finished report 06:04:00");
        _harness.AdvanceTo("06:05:00");
        var next = await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("finished report 06:05:00");

        Assert.Equal((SchedulerHarness.At("06:01:00"), RunTrigger.Schedule), (_harness.Store.History("report", 10)[^1].ScheduledTime, _harness.Store.History("report", 10)[^1].Trigger));
        Assert.Equal((SchedulerHarness.At("06:04:00"), RunTrigger.CatchUp), (caughtUp.Attempt.ScheduledTime, caughtUp.Attempt.Trigger));
        Assert.Equal(SchedulerHarness.At("06:05:00"), next.Attempt.ScheduledTime);
    }

    [Fact]
    public async Task Rows_left_running_by_a_process_that_died_are_marked_interrupted_on_start()
    {
        var id = _harness.Store.Start("report", SchedulerHarness.At("05:00:00"), RunTrigger.Schedule, 1, SchedulerHarness.At("05:00:00"), "out.ipynb", "run.log");
        var deadPid = await DeadProcessIdAsync();
        using (var connection = Core.Storage.WorkspaceDatabase.Open(_harness.Workspace).Connect())
        using (var update = connection.CreateCommand())
        {
            update.CommandText = $"UPDATE schedule_runs SET pid = {deadPid} WHERE id = {id}";
            update.ExecuteNonQuery();
        }

        var alive = _harness.Store.Start("other", SchedulerHarness.At("05:00:00"), RunTrigger.Manual, 1, SchedulerHarness.At("05:00:00"), "out.ipynb", "run.log");
        await _harness.StartAsync(_harness.Pipeline());

        Assert.Contains($"orphan report #{id}", _harness.Observer.All);
        var orphan = _harness.Store.Get(id)!;
        Assert.Equal((PipelineRunStatus.Interrupted, 130), (orphan.Status, orphan.ExitCode!.Value));
        Assert.Contains($"pid {deadPid}", orphan.Message);
        Assert.Equal(PipelineRunStatus.Running, _harness.Store.Get(alive)!.Status);
    }

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }
}

/// <summary>The scheduler starting again on the embedded store.</summary>
public sealed class SchedulerResumeTestsOnSqlite() : SchedulerResumeTests(StoreEngine.Sqlite);

/// <summary>The scheduler starting again on PostgreSQL.</summary>
public sealed class SchedulerResumeTestsOnPostgreSql() : SchedulerResumeTests(StoreEngine.PostgreSql);
