using NotebookMl.Core.Time;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookMl.Core.Workspaces;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// Reads <c>pipelines.yaml</c>. Every problem is one line naming the file, the line and the key, and
/// what was expected; unknown keys are errors (a typo must not silently drop a retry policy).
/// Paths are relative to the file's folder. The format is documented in the README.
/// </summary>
public static partial class PipelineConfigurationReader
{
    /// <summary>The setting that names the pipelines file (<see cref="Find"/>'s <c>path</c>), as a <see cref="RunnerInputException.Remedy"/>.</summary>
    public const string ConfigPath = nameof(ConfigPath);

    private static readonly string[] s_topKeys = ["pipelines", "runs_folder", "grace_period"];

    private static readonly string[] s_pipelineKeys =
    [
        "notebook", "schedule", "time_zone", "parameters", "kernel", "cwd", "timeout", "cell_timeout", "allow_errors",
        "retries", "retry_backoff", "max_retry_backoff", "overlap", "catch_up", "enabled", "trigger",
    ];

    private static readonly string[] s_triggerKeys = ["model", "window", "check_every", "cooldown", "max_psi", "min_rows", "metric", "min", "max"];

    /// <summary>
    /// The configuration to use: <paramref name="path"/> when given, else <c>pipelines.yaml</c> in
    /// <paramref name="workingDirectory"/>, else in the workspace root. The workspace is found from
    /// <paramref name="workingDirectory"/>, as every verb finds it, wherever the file is.
    /// </summary>
    public static PipelineConfiguration Find(string? path, string workingDirectory, string? home)
    {
        if (path is not null)
        {
            return Read(Path.GetFullPath(path, workingDirectory), home, workingDirectory);
        }

        var here = Path.Combine(workingDirectory, PipelineConfiguration.DefaultFileName);
        var root = Path.Combine(WorkspaceLocation.Find(workingDirectory, home).Root, PipelineConfiguration.DefaultFileName);
        return File.Exists(here) ? Read(here, home, workingDirectory)
            : File.Exists(root) ? Read(root, home, workingDirectory)
            : throw new RunnerInputException($"{PipelineConfiguration.DefaultFileName} not found in {workingDirectory} or the workspace root.", ConfigPath);
    }

    /// <summary>
    /// Reads and checks the file at <paramref name="path"/>; <paramref name="home"/> is <c>$NOTEBOOKML_HOME</c>. The workspace is
    /// the one found from <paramref name="workingDirectory"/> (default: the file's folder).
    /// </summary>
    public static PipelineConfiguration Read(string path, string? home, string? workingDirectory = null)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            throw new RunnerInputException($"{path}: pipelines file not found.");
        }

        var folder = Path.GetDirectoryName(path)!;
        var root = Load(path);
        var workspace = WorkspaceLocation.Find(workingDirectory ?? folder, home);
        CheckKeys(path, root, s_topKeys, "the top level");
        var pipelines = new List<PipelineDefinition>();
        if (Child(root, "pipelines") is not YamlMappingNode list)
        {
            throw Error(path, root, "expected a 'pipelines:' mapping of pipeline names to their settings");
        }

        foreach (var (key, value) in list.Children)
        {
            var name = Scalar(path, key, "a pipeline name");
            if (!ValidName().IsMatch(name))
            {
                throw Error(path, key, $"pipeline name '{name}': use letters, digits, '-', '_' and '.', starting with a letter or digit");
            }

            pipelines.Add(ReadPipeline(path, folder, name, value as YamlMappingNode ?? throw Error(path, value, $"pipelines.{name}: expected a mapping of settings")));
        }

        return new PipelineConfiguration
        {
            Path = path,
            Workspace = workspace,
            Pipelines = pipelines,
            RunsFolder = Child(root, "runs_folder") is { } runs ? Path.GetFullPath(Scalar(path, runs, "runs_folder: a folder"), folder) : Path.Combine(workspace.StateFolder, "runs"),
            GracePeriod = Child(root, "grace_period") is { } grace ? Duration(path, grace, "grace_period") : TimeSpan.FromMinutes(5),
        };
    }

    private static PipelineDefinition ReadPipeline(string path, string folder, string name, YamlMappingNode node)
    {
        CheckKeys(path, node, s_pipelineKeys, $"pipelines.{name}");
        string Key(string key) => $"pipelines.{name}.{key}";
        var notebookNode = Child(node, "notebook") ?? throw Error(path, node, $"{Key("notebook")} is missing: the notebook to run");
        var notebook = Path.GetFullPath(Scalar(path, notebookNode, Key("notebook")), folder);
        if (!File.Exists(notebook))
        {
            throw Error(path, notebookNode, $"{Key("notebook")}: {notebook} not found");
        }

        var zone = Child(node, "time_zone") is { } zoneNode ? Zone(path, zoneNode, Key("time_zone")) : TimeZoneInfo.Local;
        var trigger = Child(node, "trigger") is { } triggerNode ? Trigger(path, triggerNode, Key("trigger")) : null;
        CronSchedule schedule;
        if (trigger is not null)
        {
            schedule = Child(node, "schedule") is null
                ? CronSchedule.Every(trigger.CheckEvery, zone)
                : throw Error(path, Child(node, "schedule")!, $"{Key("schedule")}: a pipeline runs on a schedule or on a trigger, not both");
        }
        else
        {
            var scheduleNode = Child(node, "schedule") ?? throw Error(path, node, $"{Key("schedule")} is missing: a cron expression such as \"0 6 * * *\" (or a trigger: drift or performance)");
            try
            {
                schedule = CronSchedule.Parse(Scalar(path, scheduleNode, Key("schedule")), zone);
            }
            catch (FormatException e)
            {
                throw Error(path, scheduleNode, $"{Key("schedule")}: {e.Message}");
            }
        }

        var pipeline = new PipelineDefinition { Name = name, NotebookPath = notebook, Schedule = schedule, Trigger = trigger };
        return pipeline with
        {
            Parameters = Child(node, "parameters") is { } parameters ? Parameters(path, parameters, Key("parameters")) : pipeline.Parameters,
            KernelName = Child(node, "kernel") is { } kernel ? Scalar(path, kernel, Key("kernel")) : null,
            WorkingDirectory = Child(node, "cwd") is { } cwd ? Path.GetFullPath(Scalar(path, cwd, Key("cwd")), folder) : null,
            Timeout = Child(node, "timeout") is { } timeout ? Duration(path, timeout, Key("timeout")) : null,
            CellTimeout = Child(node, "cell_timeout") is { } cellTimeout ? Duration(path, cellTimeout, Key("cell_timeout")) : null,
            AllowErrors = Child(node, "allow_errors") is { } allowErrors && Bool(path, allowErrors, Key("allow_errors")),
            Retries = Child(node, "retries") is { } retries ? Count(path, retries, Key("retries")) : 0,
            RetryBackoff = Child(node, "retry_backoff") is { } backoff ? Duration(path, backoff, Key("retry_backoff")) : pipeline.RetryBackoff,
            MaxRetryBackoff = Child(node, "max_retry_backoff") is { } max ? Duration(path, max, Key("max_retry_backoff")) : pipeline.MaxRetryBackoff,
            Overlap = Child(node, "overlap") is { } overlap ? Choice<OverlapPolicy>(path, overlap, Key("overlap")) : pipeline.Overlap,
            CatchUp = Child(node, "catch_up") is { } catchUp ? Choice<CatchUpPolicy>(path, catchUp, Key("catch_up")) : pipeline.CatchUp,
            Enabled = Child(node, "enabled") is not { } enabled || Bool(path, enabled, Key("enabled")),
        };
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlException e)
        {
            throw new RunnerInputException($"{path}:{e.Start.Line}: invalid YAML: {e.Message}");
        }

        return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
            ?? throw new RunnerInputException($"{path}: expected a YAML mapping with 'pipelines:'.");
    }

    private static IReadOnlyDictionary<string, JsonNode?> Parameters(string path, YamlNode node, string key)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(path, node, $"{key}: expected a mapping of parameter names to values");
        }

        var result = new Dictionary<string, JsonNode?>();
        foreach (var (name, value) in mapping.Children)
        {
            var parameter = Scalar(path, name, $"{key}: a parameter name");
            var json = ToJson(value);
            foreach (var text in Strings(json))
            {
                if (ParameterTemplate.Check(text) is { } problem)
                {
                    throw Error(path, value, $"{key}.{parameter}: {problem}");
                }
            }

            result[parameter] = json;
        }

        return result;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        JsonArray array => array.SelectMany(Strings),
        _ => [],
    };

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: null or "~" or "null" } scalar when scalar.Style == ScalarStyle.Plain => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => JsonValue.Create(node.ToString()),
    };

    private static void CheckKeys(string path, YamlMappingNode node, string[] known, string where)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = Scalar(path, key, "a key");
            if (!known.Contains(name))
            {
                throw Error(path, key, $"unknown key '{name}' in {where}; expected one of: {string.Join(", ", known)}");
            }
        }
    }

    /// <summary><c>trigger: {drift: {model, max_psi, window, check_every, cooldown, min_rows}}</c> or <c>trigger: {performance: {model, metric, min | max, …}}</c>.</summary>
    private static PipelineTrigger Trigger(string path, YamlNode node, string key)
    {
        if (node is not YamlMappingNode { Children.Count: 1 } mapping || mapping.Children.Keys.Single() is not YamlScalarNode { Value: "drift" or "performance" } kind
            || mapping.Children.Values.Single() is not YamlMappingNode body)
        {
            throw Error(path, node, $"{key}: expected one of drift: {{model, max_psi, window, check_every}} or performance: {{model, metric, min or max, window, check_every}}");
        }

        var at = $"{key}.{kind.Value}";
        CheckKeys(path, body, s_triggerKeys, at);
        var model = Child(body, "model") is { } modelNode ? Scalar(path, modelNode, $"{at}.model") : throw Error(path, body, $"{at}.model is missing: the model whose traffic to watch, e.g. flight-delays@champion");
        var window = Child(body, "window") is { } windowNode ? Duration(path, windowNode, $"{at}.window") : TimeSpan.FromDays(1);
        var every = Child(body, "check_every") is { } everyNode ? Duration(path, everyNode, $"{at}.check_every") : TimeSpan.FromHours(1);
        var cooldown = Child(body, "cooldown") is { } cooldownNode ? Duration(path, cooldownNode, $"{at}.cooldown") : window;
        if (every < TimeSpan.FromSeconds(1) || window <= TimeSpan.Zero)
        {
            throw Error(path, body, $"{at}: window and check_every must be positive (check_every at least 1s)");
        }

        double? Number(string name) => Child(body, name) is { } value
            ? double.TryParse(Scalar(path, value, $"{at}.{name}"), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? number
                : throw Error(path, value, $"{at}.{name}: expected a number, got '{Scalar(path, value, $"{at}.{name}")}'")
            : null;
        if (kind.Value == "drift")
        {
            var maxPsi = Number("max_psi") ?? throw Error(path, body, $"{at}.max_psi is missing: the largest PSI of any input before it fires, e.g. 0.2");
            var minRows = Child(body, "min_rows") is { } rowsNode
                ? int.TryParse(Scalar(path, rowsNode, $"{at}.min_rows"), NumberStyles.None, CultureInfo.InvariantCulture, out var rows) && rows >= 1
                    ? rows
                    : throw Error(path, rowsNode, $"{at}.min_rows: expected a whole number of rows, 1 or more, got '{Scalar(path, rowsNode, $"{at}.min_rows")}'")
                : (int?)null;
            return maxPsi > 0 ? new DriftTrigger(model, window, every, cooldown, maxPsi) { MinRows = minRows } : throw Error(path, body, $"{at}.max_psi: expected a number above 0");
        }

        var metric = Child(body, "metric") is { } metricNode ? Scalar(path, metricNode, $"{at}.metric") : throw Error(path, body, $"{at}.metric is missing: e.g. test_auc, test_log_loss or test_rmse");
        var (min, max) = (Number("min"), Number("max"));
        return (min is null) != (max is null)
            ? new PerformanceTrigger(model, window, every, cooldown, metric, min, max)
            : throw Error(path, body, $"{at}: give one of min (fires below it, e.g. for test_auc) or max (fires above it, e.g. for test_rmse)");
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string Scalar(string path, YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(path, node, $"{what}: expected a single value");

    private static TimeSpan Duration(string path, YamlNode node, string key) =>
        Durations.TryParse(Scalar(path, node, key)) ?? throw Error(path, node, Durations.Invalid(key, Scalar(path, node, key)));

    private static int Count(string path, YamlNode node, string key) =>
        int.TryParse(Scalar(path, node, key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100
            ? n
            : throw Error(path, node, $"{key}: expected a whole number from 0 to 100, got '{Scalar(path, node, key)}'");

    private static bool Bool(string path, YamlNode node, string key) => Scalar(path, node, key).ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var other => throw Error(path, node, $"{key}: expected true or false, got '{other}'"),
    };

    private static T Choice<T>(string path, YamlNode node, string key)
        where T : struct, Enum
    {
        var text = Scalar(path, node, key);
        var names = Enum.GetNames<T>().Select(n => Regex.Replace(n, "(?<=[a-z])([A-Z])", "_$1").ToLowerInvariant()).ToArray();
        var index = Array.IndexOf(names, text.Trim().ToLowerInvariant());
        return index >= 0 ? Enum.GetValues<T>()[index] : throw Error(path, node, $"{key}: expected one of {string.Join(", ", names)}, got '{text}'");
    }

    private static TimeZoneInfo Zone(string path, YamlNode node, string key)
    {
        var id = Scalar(path, node, key);
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw Error(path, node, $"{key}: unknown time zone '{id}'; use an IANA name such as UTC, Europe/Paris or America/New_York");
        }
    }

    private static RunnerInputException Error(string path, YamlNode node, string message) =>
        new($"{path}:{node.Start.Line}: {message}.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex ValidName();
}
