using NotebookMl.Core.Drift;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tests.Drift;
using NotebookMl.Runner.Scheduling;
using NotebookMl.Core.Drift.Reference;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>
/// A pipeline run by a drift trigger on a fake clock: checked every hour against the champion's reference statistics and
/// the prediction log of the last hour, it fires once the traffic moved, records the statistic that fired it, then rests.
/// </summary>
public sealed class TriggerTests : IAsyncLifetime
{
    private static readonly string[] s_origins = ["ORD", "SEA", "LAS", "PHX"];
    private readonly SchedulerHarness _harness = new();
    private readonly Random _random = new(11);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_drift_trigger_fires_the_pipeline_once_traffic_drifts_and_the_history_says_which_statistic_fired_it()
    {
        var registry = ModelRegistry.Open(_harness.Workspace);
        Register(registry, ReferenceProfiler.Numeric("distance", Distances(4000, 0)), ReferenceProfiler.Categorical("origin", Enumerable.Range(0, 4000).Select(i => s_origins[i % 4])));
        registry.SetAlias("delays", "champion", 1);
        var trigger = new DriftTrigger("delays@champion", TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(6), MaxPsi: 0.2);
        var pipeline = _harness.Pipeline("retrain") with { Schedule = CronSchedule.Every(trigger.CheckEvery, TimeZoneInfo.Utc), Trigger = trigger };
        await _harness.StartAsync(pipeline);

        // 06:00–07:00: traffic like the training data. The check at 07:00 does not fire.
        PredictionLogWriter.Write(_harness.Workspace, "delays", SchedulerHarness.At("06:30:00"), Distances(1000, 0), s_origins);
        _harness.AdvanceTo("07:00:00");
        var calm = await _harness.Observer.WaitForAsync("checked retrain 07:00:00");
        await _harness.AssertNothingStartedAsync();
        // 07:00–08:00: longer flights. The check at 08:00 fires and the pipeline runs.
        PredictionLogWriter.Write(_harness.Workspace, "delays", SchedulerHarness.At("07:30:00"), Distances(1000, 700), s_origins);
        _harness.AdvanceTo("08:00:00");
        var fired = await _harness.Observer.WaitForAsync("checked retrain 08:00:00");
        var run = await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("finished retrain 08:00:00 a1 succeeded");
        // Still drifted at 09:00, but the trigger rests for its 6 h cooldown.
        PredictionLogWriter.Write(_harness.Workspace, "delays", SchedulerHarness.At("08:30:00"), Distances(1000, 700), s_origins);
        _harness.AdvanceTo("09:00:00");
        var resting = await _harness.Observer.WaitForAsync("checked retrain 09:00:00");
        await _harness.AssertNothingStartedAsync();
        await _harness.StopAsync();

        Assert.StartsWith("checked retrain 07:00:00 not fired: drift: PSI 0.0", calm, StringComparison.Ordinal);
        Assert.StartsWith("checked retrain 08:00:00 fired: drift: PSI ", fired, StringComparison.Ordinal);
        Assert.Contains(" on distance > max_psi 0.2 (models:/delays/1 against 1,000 rows served in the last 1h)", fired, StringComparison.Ordinal);
        Assert.Contains("not fired", resting, StringComparison.Ordinal);
        Assert.Contains("resting until 2026-11-23 14:00:00Z", resting, StringComparison.Ordinal);
        Assert.Equal((RunTrigger.Drift, SchedulerHarness.At("08:00:00")), (run.Attempt.Trigger, run.Attempt.ScheduledTime));
        var row = Assert.Single(_harness.Store.History("retrain", 10));
        Assert.Equal((RunTrigger.Drift, PipelineRunStatus.Succeeded), (row.Trigger, row.Status));
        Assert.Equal(fired["checked retrain 08:00:00 fired: ".Length..], row.Reason);
        Assert.Equal("drift", row.Trigger.ToName());
    }

    [Fact]
    public async Task A_performance_trigger_fires_when_the_metric_on_late_labels_falls_below_its_minimum()
    {
        var registry = ModelRegistry.Open(_harness.Workspace);
        registry.Register("delays", new ModelRegistration([1]) { Metrics = new Dictionary<string, double> { ["test_auc"] = 0.74 } });
        registry.SetAlias("delays", "champion", 1);
        var trigger = new PerformanceTrigger("delays", TimeSpan.FromHours(2), TimeSpan.FromHours(1), TimeSpan.FromHours(6), "test_auc", Min: 0.7, Max: null);
        var pipeline = _harness.Pipeline("retrain") with { Schedule = CronSchedule.Every(trigger.CheckEvery, TimeZoneInfo.Utc), Trigger = trigger };
        // Answers with the same probability for every flight, and labels for them: no better than chance (AUC 0.5).
        PredictionLogWriter.Write(_harness.Workspace, "delays", SchedulerHarness.At("06:20:00"), Distances(400, 0), s_origins);
        var labels = Path.Combine(_harness.Folder, "labels.csv");
        File.WriteAllLines(labels, ["request_id,label", .. Enumerable.Range(0, 400).Select(i => $"r{i},{i % 3 % 2}")]);
        Core.Predictions.FeedbackLabels.Save(_harness.Workspace, "delays", labels, SchedulerHarness.At("06:40:00"));
        await _harness.StartAsync(pipeline);

        _harness.AdvanceTo("07:00:00");
        var fired = await _harness.Observer.WaitForAsync("checked retrain 07:00:00");
        var run = await _harness.Executor.NextAsync();
        await _harness.Observer.WaitForAsync("finished retrain 07:00:00 a1 succeeded");
        await _harness.StopAsync();

        Assert.Equal("checked retrain 07:00:00 fired: performance: test_auc 0.5 on 400 labeled answers in the last 2h (min 0.7; out of bounds)", fired);
        Assert.Equal(RunTrigger.Performance, run.Attempt.Trigger);
        Assert.Equal("performance", Assert.Single(_harness.Store.History("retrain", 10)).Trigger.ToName());
    }

    [Fact]
    public async Task A_drift_trigger_does_not_fire_on_too_little_traffic_or_an_input_without_values_and_says_why()
    {
        var registry = ModelRegistry.Open(_harness.Workspace);
        Register(registry, ReferenceProfiler.Numeric("distance", Distances(4000, 0)), ReferenceProfiler.Categorical("origin", Enumerable.Range(0, 4000).Select(i => s_origins[i % 4])));
        Register(registry, ReferenceProfiler.Numeric("distance", Distances(4000, 0)), ReferenceProfiler.Numeric("hour", Distances(4000, 0)));
        registry.SetAlias("delays", "champion", 1);
        var trigger = new DriftTrigger("delays@champion", TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(6), MaxPsi: 0.2);
        var pipeline = _harness.Pipeline("retrain") with { Schedule = CronSchedule.Every(trigger.CheckEvery, TimeZoneInfo.Utc), Trigger = trigger };
        await _harness.StartAsync(pipeline);

        // Five far-off flights: a PSI of them would be huge, and means nothing.
        PredictionLogWriter.Write(_harness.Workspace, "delays", SchedulerHarness.At("06:30:00"), Distances(5, 5000), s_origins);
        _harness.AdvanceTo("07:00:00");
        var few = await _harness.Observer.WaitForAsync("checked retrain 07:00:00");
        await _harness.AssertNothingStartedAsync();
        // The champion becomes version 2, which takes 'hour': the log has none.
        registry.SetAlias("delays", "champion", 2);
        PredictionLogWriter.Write(_harness.Workspace, "delays", SchedulerHarness.At("07:30:00"), Distances(1000, 5000), s_origins);
        _harness.AdvanceTo("08:00:00");
        var missing = await _harness.Observer.WaitForAsync("checked retrain 08:00:00");
        await _harness.AssertNothingStartedAsync();
        await _harness.StopAsync();

        Assert.Equal("checked retrain 07:00:00 not fired: drift not measured: too few rows to estimate PSI: 5 with values of 'distance', and it needs at least 100 (10 per bin × 10 bins) in the last 1h (models:/delays/1)", few);
        Assert.Equal("checked retrain 08:00:00 not fired: drift not measured: input 'hour' has no values in the 1,000 rows served in the last 1h (models:/delays/2)", missing);
        Assert.Empty(_harness.Store.History("retrain", 10));
    }

    /// <summary>The next version of delays, with reference statistics of 4,000 training rows over <paramref name="inputs"/>.</summary>
    private static void Register(ModelRegistry registry, params ColumnProfile[] inputs) =>
        registry.Register("delays", new ModelRegistration([1]) { Reference = new ReferenceStatistics(4000, inputs, []) });

    private double[] Distances(int n, double shift) => Enumerable.Range(0, n).Select(_ => shift + (_random.NextDouble() * 1000)).ToArray();
}
