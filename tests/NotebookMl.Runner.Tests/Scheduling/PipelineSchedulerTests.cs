using NotebookMl.Core.Storage;
using NotebookMl.Runner.Scheduling;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>The scheduler on a fake clock: due runs, overlap, retries, shutdown. Catch-up and restart are in <see cref="SchedulerResumeTests"/>.</summary>
public abstract class PipelineSchedulerTests(StoreEngine engine) : IAsyncLifetime
{
    private readonly SchedulerHarness _harness = new(engine);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Occurrences_run_when_they_come_due_and_each_attempt_is_recorded_with_its_folder()
    {
        await _harness.StartAsync(_harness.Pipeline());

        _harness.AdvanceTo("06:00:59");
        await _harness.AssertNothingStartedAsync();
        _harness.AdvanceTo("06:01:00");
        var first = await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("finished report 06:01:00 a1 succeeded");
        _harness.AdvanceTo("06:02:00");
        var second = await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("finished report 06:02:00 a1 succeeded");
        await _harness.StopAsync();

        Assert.Equal(SchedulerHarness.At("06:01:00"), first.Attempt.ScheduledTime);
        Assert.Equal(SchedulerHarness.At("06:02:00"), second.Attempt.ScheduledTime);
        var rows = _harness.Store.History("report", 10);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((PipelineRunStatus.Succeeded, RunTrigger.Schedule, 1, 0), (r.Status, r.Trigger, r.Attempt, r.ExitCode)));
        Assert.Equal(Path.Combine(_harness.Folder, "runs", "report", "20261123T060200Z-schedule-a1", "report.out.ipynb"), rows[0].OutputPath);
        Assert.True(Directory.Exists(first.Attempt.Folder));
        Assert.Equal(SchedulerHarness.At("06:02:00"), _harness.Store.Watermark("report"));
    }

    [Fact]
    public async Task Overlap_skip_records_an_occurrence_that_comes_due_while_the_previous_run_goes_on()
    {
        _harness.Executor.Hold = true;
        await _harness.StartAsync(_harness.Pipeline() with { Overlap = OverlapPolicy.Skip });

        _harness.AdvanceTo("06:01:00");
        var running = await _harness.Executor.NextAsync();
        _harness.AdvanceTo("06:02:00");
        await _harness.Observer.WaitForAsync("skipped report 06:02:00");
        running.Release();
        await _harness.Observer.WaitForAsync("finished report 06:01:00");
        _harness.AdvanceTo("06:03:00");
        var next = await _harness.Executor.NextAsync();
        next.Release();
        await _harness.Observer.WaitForAsync("finished report 06:03:00");

        Assert.Equal(SchedulerHarness.At("06:03:00"), next.Attempt.ScheduledTime);
        var skipped = Assert.Single(_harness.Store.History("report", 10), r => r.Status == PipelineRunStatus.Skipped);
        Assert.Equal(SchedulerHarness.At("06:02:00"), skipped.ScheduledTime);
        Assert.Contains("overlap: skip", skipped.Message);
    }

    [Fact]
    public async Task Overlap_queue_runs_the_next_occurrence_as_soon_as_the_previous_run_ends()
    {
        _harness.Executor.Hold = true;
        await _harness.StartAsync(_harness.Pipeline() with { Overlap = OverlapPolicy.Queue });

        _harness.AdvanceTo("06:01:00");
        var running = await _harness.Executor.NextAsync();
        _harness.AdvanceTo("06:02:30");
        await _harness.Observer.WaitForAsync("queued report 06:02:00");
        await _harness.AssertNothingStartedAsync();
        running.Release();
        var queued = await _harness.Executor.NextAsync();
        queued.Release();

        Assert.Equal(SchedulerHarness.At("06:02:00"), queued.Attempt.ScheduledTime);
        Assert.Equal(SchedulerHarness.At("06:02:30"), _harness.Clock.GetUtcNow());
        Assert.DoesNotContain(_harness.Store.History("report", 10), r => r.Status == PipelineRunStatus.Skipped);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_after_a_doubling_backoff_until_it_succeeds()
    {
        _harness.Executor.Outcomes.Enqueue(ScriptedExecutor.CellFailure);
        _harness.Executor.Outcomes.Enqueue(new PipelineRunOutcome(PipelineRunStatus.KernelDied, 3, "the kernel died"));
        await _harness.StartAsync(_harness.Pipeline() with { Retries = 3, RetryBackoff = TimeSpan.FromSeconds(20), Overlap = OverlapPolicy.Skip });

        _harness.AdvanceTo("06:01:00");
        await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("retry report 06:01:00 a2 in 20s");
        _harness.AdvanceTo("06:01:19");
        await _harness.AssertNothingStartedAsync();
        _harness.AdvanceTo("06:01:20");
        await _harness.Observer.WaitForAsync("retry report 06:01:00 a3 in 40s");
        _harness.AdvanceTo("06:02:00");
        await _harness.Observer.WaitForAsync("finished report 06:01:00 a3 succeeded");

        var attempts = _harness.Store.History("report", 10).Where(r => r.ScheduledTime == SchedulerHarness.At("06:01:00")).OrderBy(r => r.Id).ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.Equal([PipelineRunStatus.CellFailed, PipelineRunStatus.KernelDied, PipelineRunStatus.Succeeded], attempts.Select(a => a.Status));
        Assert.Equal([SchedulerHarness.At("06:01:00"), SchedulerHarness.At("06:01:20"), SchedulerHarness.At("06:02:00")], attempts.Select(a => a.Started));
        Assert.Equal([1, 3, 0], attempts.Select(a => a.ExitCode!.Value));
    }

    [Fact]
    public async Task Bad_input_is_not_retried()
    {
        _harness.Executor.Outcomes.Enqueue(new PipelineRunOutcome(PipelineRunStatus.BadInput, 2, "parameter 'dayz' is not declared"));
        await _harness.StartAsync(_harness.Pipeline() with { Retries = 2, RetryBackoff = TimeSpan.Zero });

        _harness.AdvanceTo("06:01:00");
        await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("finished report 06:01:00 a1 bad_input");
        await _harness.AssertNothingStartedAsync();

        var row = Assert.Single(_harness.Store.History("report", 10));
        Assert.Equal((PipelineRunStatus.BadInput, 2), (row.Status, row.ExitCode!.Value));
        Assert.DoesNotContain(_harness.Observer.All, e => e.StartsWith("retry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipelines_run_side_by_side_and_a_disabled_one_never_runs()
    {
        _harness.Executor.Hold = true;
        await _harness.StartAsync(_harness.Pipeline("a"), _harness.Pipeline("b", "30 * * * * *"), _harness.Pipeline("off", "15 * * * * *") with { Enabled = false });

        _harness.AdvanceTo("06:00:15");
        await _harness.AssertNothingStartedAsync();
        _harness.AdvanceTo("06:00:30");
        var b = await _harness.Executor.NextAsync();
        _harness.AdvanceTo("06:01:00");
        var a = await _harness.Executor.NextAsync();
        a.Release();
        b.Release();

        Assert.Equal(("b", "a"), (b.Attempt.Pipeline.Name, a.Attempt.Pipeline.Name));
        Assert.DoesNotContain(_harness.Observer.All, e => e.Contains("off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_lets_a_running_run_finish_within_the_grace_period()
    {
        _harness.Executor.Hold = true;
        await _harness.StartAsync(_harness.Pipeline());
        _harness.AdvanceTo("06:01:00");
        var running = await _harness.Executor.NextAsync();

        _harness.Stop();
        await _harness.Observer.WaitForAsync("stopping 1");
        _harness.AdvanceTo("06:01:59");
        running.Release();
        await _harness.StoppedAsync();

        Assert.Equal(PipelineRunStatus.Succeeded, Assert.Single(_harness.Store.History("report", 10)).Status);
        Assert.Equal(SchedulerHarness.At("06:01:00"), _harness.Store.Watermark("report"));
    }

    [Fact]
    public async Task After_the_grace_period_a_run_is_stopped_and_it_and_queued_occurrences_are_recorded_interrupted()
    {
        _harness.Executor.Hold = true;
        await _harness.StartAsync(_harness.Pipeline() with { Overlap = OverlapPolicy.Queue });
        _harness.AdvanceTo("06:01:00");
        await _harness.Executor.NextAsync();
        _harness.AdvanceTo("06:02:00");
        await _harness.Observer.WaitForAsync("queued report 06:02:00");

        _harness.Stop();
        await _harness.Observer.WaitForAsync("stopping 1");
        _harness.AdvanceTo("06:03:00");
        await _harness.StoppedAsync();

        var rows = _harness.Store.History("report", 10).OrderBy(r => r.ScheduledTime).ToList();
        Assert.Equal([PipelineRunStatus.Interrupted, PipelineRunStatus.Interrupted], rows.Select(r => r.Status));
        Assert.Equal((130, "the scheduler stopped the run after its grace period"), (rows[0].ExitCode!.Value, rows[0].Message!));
        Assert.Equal("the scheduler stopped before the run started", rows[1].Message);
    }

    [Fact]
    public async Task A_retry_waiting_for_its_backoff_is_recorded_interrupted_when_the_scheduler_stops()
    {
        _harness.Executor.Outcomes.Enqueue(ScriptedExecutor.CellFailure);
        await _harness.StartAsync(_harness.Pipeline() with { Retries = 1, RetryBackoff = TimeSpan.FromMinutes(5) });
        _harness.AdvanceTo("06:01:00");
        await _harness.Observer.WaitForAsync("retry report 06:01:00 a2");

        await _harness.StopAsync();

        var rows = _harness.Store.History("report", 10);
        Assert.Equal([PipelineRunStatus.Interrupted, PipelineRunStatus.CellFailed], rows.Select(r => r.Status));
        Assert.Contains("attempt 2 waited for its backoff", rows[0].Message);
    }
}

/// <summary>The scheduler on the embedded store.</summary>
public sealed class PipelineSchedulerTestsOnSqlite() : PipelineSchedulerTests(StoreEngine.Sqlite);

/// <summary>The scheduler on PostgreSQL.</summary>
public sealed class PipelineSchedulerTestsOnPostgreSql() : PipelineSchedulerTests(StoreEngine.PostgreSql);
