using NotebookMl.Runner.Scheduling;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary><c>pipelines.yaml</c>: every setting read, and every mistake a one-line error naming the file, line and key.</summary>
public sealed class PipelineConfigurationReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-pipelines-").FullName;

    public PipelineConfigurationReaderTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "notebooks"));
        File.WriteAllText(Path.Combine(_folder, "notebooks", "report.ipynb"), "{}");
    }

    [Fact]
    public void Every_setting_is_read_with_paths_relative_to_the_file()
    {
        var path = Write("""
            runs_folder: out/runs
            grace_period: 90s
            pipelines:
              daily:
                notebook: notebooks/report.ipynb
                schedule: "0 30 6 * * *"
                time_zone: Europe/Oslo
                parameters:
                  runDate: "{{scheduled_time-1d:yyyy-MM-dd}}"
                  days: 7
                  stations: [SEA, "{{pipeline}}"]
                kernel: python3
                cwd: notebooks
                timeout: 1h30m
                cell_timeout: 10m
                allow_errors: true
                retries: 3
                retry_backoff: 45s
                max_retry_backoff: 5m
                overlap: queue
                catch_up: all
              hourly:
                notebook: notebooks/report.ipynb
                schedule: "@hourly"
                enabled: false
            """);

        var configuration = PipelineConfigurationReader.Read(path, home: null);

        Assert.Equal(Path.Combine(_folder, "out", "runs"), configuration.RunsFolder);
        Assert.Equal(TimeSpan.FromSeconds(90), configuration.GracePeriod);
        Assert.Equal(Path.Combine(_folder, ".notebookml"), configuration.Workspace.StateFolder);
        var daily = configuration.Find("daily");
        Assert.Equal(Path.Combine(_folder, "notebooks", "report.ipynb"), daily.NotebookPath);
        Assert.Equal(("0 30 6 * * *", "Europe/Oslo"), (daily.Schedule.Text, daily.Schedule.TimeZone.Id));
        Assert.Equal("{{scheduled_time-1d:yyyy-MM-dd}}", daily.Parameters["runDate"]!.GetValue<string>());
        Assert.Equal("""["SEA","{{pipeline}}"]""", daily.Parameters["stations"]!.ToJsonString());
        Assert.Equal(("python3", Path.Combine(_folder, "notebooks")), (daily.KernelName, daily.WorkingDirectory));
        Assert.Equal((TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(10), true), (daily.Timeout, daily.CellTimeout, daily.AllowErrors));
        Assert.Equal((3, TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(5)), (daily.Retries, daily.RetryBackoff, daily.MaxRetryBackoff));
        Assert.Equal((OverlapPolicy.Queue, CatchUpPolicy.All, true), (daily.Overlap, daily.CatchUp, daily.Enabled));
        var hourly = configuration.Find("hourly");
        Assert.Equal((false, OverlapPolicy.Skip, CatchUpPolicy.Latest, 0, TimeZoneInfo.Local.Id), (hourly.Enabled, hourly.Overlap, hourly.CatchUp, hourly.Retries, hourly.Schedule.TimeZone.Id));
    }

    [Theory]
    [InlineData("    retry: 2", ":4: unknown key 'retry' in pipelines.daily; expected one of: notebook, schedule")]
    [InlineData("    retries: two", ":4: pipelines.daily.retries: expected a whole number from 0 to 100, got 'two'.")]
    [InlineData("    timeout: soon", ":4: pipelines.daily.timeout: 'soon' is not a duration; expected e.g. 90s, 10m, 1h30m or 7d.")]
    [InlineData("    overlap: wait", ":4: pipelines.daily.overlap: expected one of skip, queue, got 'wait'.")]
    [InlineData("    catch_up: some", ":4: pipelines.daily.catch_up: expected one of none, latest, all, got 'some'.")]
    [InlineData("    time_zone: Mars/Olympus", ":4: pipelines.daily.time_zone: unknown time zone 'Mars/Olympus'; use an IANA name")]
    [InlineData("    enabled: maybe", ":4: pipelines.daily.enabled: expected true or false, got 'maybe'.")]
    [InlineData("    parameters:\n      day: \"{{scheduled_date}}\"", ":5: pipelines.daily.parameters.day: unknown placeholder '{{scheduled_date}}'; known: {{scheduled_time}}, {{pipeline}}, {{trigger}}")]
    public void A_bad_setting_is_one_line_naming_the_file_line_and_key(string line, string expected)
    {
        var path = Write($"pipelines:\n  daily:\n    notebook: notebooks/report.ipynb\n{line}\n    schedule: \"0 6 * * *\"\n");

        var error = Assert.Throws<RunnerInputException>(() => PipelineConfigurationReader.Read(path, home: null));

        Assert.Contains(path + expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("pipelines:\n  daily:\n    notebook: notebooks/report.ipynb\n    schedule: \"61 6 * * *\"\n", ":4: pipelines.daily.schedule: '61 6 * * *' is not a cron expression")]
    [InlineData("pipelines:\n  daily:\n    notebook: notebooks/report.ipynb\n    schedule: \"6 * * *\"\n", ":4: pipelines.daily.schedule: '6 * * *' has 4 fields; expected 5 (minute hour day month weekday) or 6 (seconds first).")]
    [InlineData("pipelines:\n  daily:\n    notebook: notebooks/missing.ipynb\n    schedule: \"0 6 * * *\"\n", ":3: pipelines.daily.notebook: ")]
    [InlineData("pipelines:\n  daily:\n    schedule: \"0 6 * * *\"\n", ":3: pipelines.daily.notebook is missing")]
    [InlineData("pipelines:\n  daily report:\n    notebook: notebooks/report.ipynb\n", ":2: pipeline name 'daily report': use letters, digits")]
    [InlineData("pipeline:\n  daily: {}\n", ":1: unknown key 'pipeline' in the top level; expected one of: pipelines, runs_folder, grace_period.")]
    [InlineData("pipelines: [\n", ": invalid YAML")]
    [InlineData("pipelines:\n  retrain:\n    notebook: notebooks/report.ipynb\n    schedule: \"0 6 * * *\"\n    trigger: {drift: {model: m, max_psi: 0.2}}\n", ":4: pipelines.retrain.schedule: a pipeline runs on a schedule or on a trigger, not both.")]
    [InlineData("pipelines:\n  retrain:\n    notebook: notebooks/report.ipynb\n    trigger: {drift: {model: m}}\n", ":4: pipelines.retrain.trigger.drift.max_psi is missing")]
    [InlineData("pipelines:\n  retrain:\n    notebook: notebooks/report.ipynb\n    trigger: {weather: {model: m}}\n", ":4: pipelines.retrain.trigger: expected one of drift:")]
    [InlineData("pipelines:\n  retrain:\n    notebook: notebooks/report.ipynb\n    trigger: {performance: {model: m, metric: test_auc}}\n", ":4: pipelines.retrain.trigger.performance: give one of min")]
    [InlineData("pipelines:\n  retrain:\n    notebook: notebooks/report.ipynb\n    trigger: {drift: {model: m, max_psi: high}}\n", ":4: pipelines.retrain.trigger.drift.max_psi: expected a number, got 'high'")]
    public void A_bad_file_is_one_line_naming_what_is_wrong(string yaml, string expected)
    {
        var path = Write(yaml);

        var error = Assert.Throws<RunnerInputException>(() => PipelineConfigurationReader.Read(path, home: null));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith(path, error.Message);
    }

    [Fact]
    public void A_trigger_replaces_the_schedule_and_is_checked_on_the_hour()
    {
        var path = Write("""
            pipelines:
              retrain:
                notebook: notebooks/report.ipynb
                trigger:
                  drift: {model: flight-delays@champion, max_psi: 0.2, window: 1d, check_every: 1h}
              watch:
                notebook: notebooks/report.ipynb
                trigger:
                  performance: {model: flight-delays, metric: test_auc, min: 0.7, window: 6h, check_every: 15m, cooldown: 2d}
            """);

        var configuration = PipelineConfigurationReader.Read(path, home: null);

        var drift = Assert.IsType<DriftTrigger>(configuration.Find("retrain").Trigger);
        Assert.Equal(new DriftTrigger("flight-delays@champion", TimeSpan.FromDays(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), 0.2), drift);
        Assert.Equal("every 1h", configuration.Find("retrain").Schedule.Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero), configuration.Find("retrain").Schedule.NextAfter(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero)));
        var performance = Assert.IsType<PerformanceTrigger>(configuration.Find("watch").Trigger);
        Assert.Equal(("test_auc", 0.7, (double?)null, TimeSpan.FromDays(2)), (performance.Metric, performance.Min!.Value, performance.Max, performance.Cooldown));
        Assert.Equal([new DateTimeOffset(2026, 11, 23, 6, 15, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 6, 30, 0, TimeSpan.Zero)],
            configuration.Find("watch").Schedule.Between(new DateTimeOffset(2026, 11, 23, 6, 7, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 6, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Without_config_the_file_is_found_here_then_in_the_workspace_root_else_a_clear_error()
    {
        Write("pipelines:\n  daily:\n    notebook: notebooks/report.ipynb\n    schedule: \"0 6 * * *\"\n");
        Directory.CreateDirectory(Path.Combine(_folder, ".notebookml"));
        var below = Path.Combine(_folder, "notebooks");

        Assert.Equal(Path.Combine(_folder, "pipelines.yaml"), PipelineConfigurationReader.Find(null, below, home: null).Path);
        var error = Assert.Throws<RunnerInputException>(() => PipelineConfigurationReader.Find(null, Path.GetTempPath(), home: null));
        Assert.Contains("pipelines.yaml not found in", error.Message);
        Assert.Equal(PipelineConfigurationReader.ConfigPath, error.Remedy);
    }

    [Fact]
    public void With_config_elsewhere_the_workspace_is_found_from_the_working_directory_like_every_verb()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "pipes.yaml"), "pipelines:\n  daily:\n    notebook: report.ipynb\n    schedule: \"0 6 * * *\"\n");
        File.WriteAllText(Path.Combine(elsewhere, "report.ipynb"), NotebookMl.Testing.TestNotebook.Json([("1 + 1", [])]));
        var project = Directory.CreateDirectory(Path.Combine(_folder, "project", ".notebookml")).Parent!.FullName;

        var configuration = PipelineConfigurationReader.Find(Path.Combine(elsewhere, "pipes.yaml"), project, home: null);

        Assert.Equal(project, configuration.Workspace.Root);
        Assert.Equal(Path.Combine(project, ".notebookml", "runs"), configuration.RunsFolder);
        Assert.Equal(Path.Combine(elsewhere, "report.ipynb"), configuration.Find("daily").NotebookPath);
        Assert.False(Directory.Exists(Path.Combine(elsewhere, ".notebookml")));
    }

    [Fact]
    public void The_example_pipelines_file_is_valid_and_its_parameters_fit_the_notebook()
    {
        var configuration = PipelineConfigurationReader.Read(NotebookMl.Testing.RepoPaths.Of("pipelines.yaml"), home: null);
        var pipeline = configuration.Find("daily-report");

        var rendered = ParameterTemplate.Render(pipeline.Parameters, pipeline.Name, new DateTimeOffset(2026, 11, 24, 5, 30, 0, TimeSpan.Zero), pipeline.Schedule.TimeZone, RunTrigger.Schedule);
        var notebook = NotebookMl.Notebooks.NotebookFile.Read(pipeline.NotebookPath);
        var values = NotebookMl.Runner.Parameters.ParameterInjector.Resolve(
            NotebookMl.Runner.Parameters.ParameterInjector.Declared(notebook, NotebookMl.Runner.Parameters.ParameterLanguage.CSharp), rendered, [], allowExtra: false);

        Assert.Equal(new DateTime(2026, 11, 23), values.Single(v => v.Name == "runDate").Value);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 5, 30, 0, TimeSpan.Zero), pipeline.Schedule.NextAfter(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, "pipelines.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
