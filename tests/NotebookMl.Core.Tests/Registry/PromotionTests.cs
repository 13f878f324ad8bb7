using Microsoft.Extensions.Time.Testing;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Options;
using NotebookMl.Core.Tests.Drift;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Workspaces;
using NotebookMl.Core.Drift.Reference;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Core.Storage;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Registry;

/// <summary>Gated promotion in a real workspace: metric gates absolute and relative, policies from notebookml.yaml and the API, the drift hook.</summary>
public abstract class PromotionTests(StoreEngine engine) : IDisposable
{
    private readonly TestStore _store = new(engine == StoreEngine.PostgreSql, "notebookml-promotion-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private WorkspaceLocation Workspace => new(_store.Folder, Path.Combine(_store.Folder, WorkspaceLocation.StateFolderName));

    [Fact]
    public void A_failed_gate_leaves_the_alias_where_it_was_and_lists_every_gate_with_its_value()
    {
        var registry = Registry(0.72, 0.719, 0.70);
        Assert.True(registry.Promote("delays", 1, "champion", new PromotionPolicy(["test_auc>=0.70"]), "first", []).Promoted);

        var close = registry.Promote("delays", 2, "champion", new PromotionPolicy(["test_auc>=champion-0.002", "test_rmse<=0.5"]), "slightly worse", []);
        var worse = registry.Promote("delays", 3, "champion", new PromotionPolicy(["test_auc>=champion-0.002", "test_auc>0.65"]), "worse", []);

        Assert.False(close.Promoted);
        Assert.Equal(
            [("test_auc>=champion-0.002", "test_auc = 0.719 vs @champion (version 1) 0.72 - 0.002 = 0.718", true),
             ("test_rmse<=0.5", "models:/delays/2 has no metric 'test_rmse'; its metrics: test_auc", false)],
            close.Gates.Select(g => (g.Gate, g.Value, g.Passed)));
        Assert.False(worse.Promoted);
        Assert.Equal([false, true], worse.Gates.Select(g => g.Passed));
        Assert.Equal(1, registry.AliasVersion("delays", "champion")!.Version);
        Assert.Single(registry.History("delays"));
    }

    [Fact]
    public void A_relative_gate_with_no_version_behind_the_alias_passes_and_says_there_is_nothing_to_compare()
    {
        var registry = Registry(0.72);

        var result = registry.Promote("delays", 1, "champion", new PromotionPolicy(["test_auc >= champion - 0.002"]), null, []);

        Assert.True(result.Promoted);
        Assert.Equal("test_auc = 0.72; no version is @champion yet, nothing to compare with", Assert.Single(result.Gates).Value);
        Assert.Equal("test_auc>=champion-0.002", result.Gates[0].Gate);
    }

    [Fact]
    public void The_drift_gate_fails_closed_without_reference_statistics_or_traffic_to_compare_with()
    {
        var registry = Registry(0.72);

        var result = registry.Promote("delays", 1, "champion", new PromotionPolicy([], maxDrift: 0.2), null, []);

        Assert.False(result.Promoted);
        var gate = Assert.Single(result.Gates);
        Assert.Equal("drift<=0.2 (PSI)", gate.Gate);
        Assert.Equal("models:/delays/1 has no reference statistics to compare traffic with; register it from a training run", gate.Value);
        Assert.Null(registry.AliasVersion("delays", "champion"));
    }

    [Fact]
    public void The_drift_gate_refuses_a_challenger_whose_training_data_the_current_traffic_has_drifted_from()
    {
        var registry = ModelRegistry.Open(Workspace, _clock);
        var random = new Random(5);
        string[] origins = ["ORD", "SEA", "LAS", "PHX"];
        ModelRegistration Trained(double from, double to) => new([1])
        {
            Reference = new ReferenceStatistics(4000,
                [ReferenceProfiler.Numeric("distance", Enumerable.Range(0, 4000).Select(_ => from + (random.NextDouble() * (to - from))).ToArray()),
                 ReferenceProfiler.Categorical("origin", Enumerable.Range(0, 4000).Select(i => origins[i % 4]))],
                []),
        };
        registry.Register("delays", Trained(0, 1000));
        registry.Register("delays", Trained(2000, 3000));
        // A day of traffic like the first version's training data, and older traffic the gate must not look at.
        PredictionLogWriter.Write(Workspace, "delays", _clock.GetUtcNow().AddHours(-3), Enumerable.Range(0, 3000).Select(_ => random.NextDouble() * 1000).ToArray(), origins);
        PredictionLogWriter.Write(Workspace, "delays", _clock.GetUtcNow().AddDays(-3), Enumerable.Range(0, 3000).Select(_ => 2000 + (random.NextDouble() * 1000)).ToArray(), origins);

        var like = registry.Promote("delays", 1, "champion", new PromotionPolicy([], maxDrift: 0.2), null, []);
        var unlike = registry.Promote("delays", 2, "champion", new PromotionPolicy([], maxDrift: 0.2), null, []);

        Assert.True(like.Promoted, like.Gates[0].Value);
        Assert.Matches(@"^PSI 0\.0\d+ on (distance|origin) \(largest of 2 inputs\) against 3,000 rows served in the last 1d$", like.Gates[0].Value);
        Assert.False(unlike.Promoted);
        Assert.StartsWith("PSI ", unlike.Gates[0].Value, StringComparison.Ordinal);
        Assert.Contains(" on distance ", unlike.Gates[0].Value, StringComparison.Ordinal);
        Assert.True(double.Parse(unlike.Gates[0].Value.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 5);
        Assert.Equal(1, registry.AliasVersion("delays", "champion")!.Version);
    }

    [Fact]
    public void The_drift_gate_fails_naming_an_input_without_values_and_a_window_too_small_to_estimate_a_psi()
    {
        var registry = ModelRegistry.Open(Workspace, _clock);
        var distances = Enumerable.Range(0, 1000).Select(i => i * 1.0).ToArray();
        var hours = Enumerable.Range(0, 1000).Select(i => i % 24 * 1.0).ToArray();
        registry.Register("delays", new ModelRegistration([1])
        {
            Reference = new ReferenceStatistics(1000, [ReferenceProfiler.Numeric("distance", distances), ReferenceProfiler.Categorical("origin", distances.Select(d => d % 2 == 0 ? "ORD" : "SEA"))], []),
        });
        registry.Register("delays", new ModelRegistration([1])
        {
            Reference = new ReferenceStatistics(1000, [ReferenceProfiler.Numeric("distance", distances), ReferenceProfiler.Numeric("hour", hours)], []),
        });
        PredictionLogWriter.Write(Workspace, "delays", _clock.GetUtcNow().AddHours(-2), distances[..5], ["ORD", "SEA"]);

        var few = registry.Promote("delays", 1, "champion", new PromotionPolicy([], maxDrift: 0.2), null, []);
        var enough = registry.Promote("delays", 1, "staging", new PromotionPolicy([], maxDrift: 50, driftMinRows: 5), null, []);
        PredictionLogWriter.Write(Workspace, "delays", _clock.GetUtcNow().AddHours(-1), distances, ["ORD", "SEA"]);
        var missing = registry.Promote("delays", 2, "champion", new PromotionPolicy([], maxDrift: 0.2), null, []);

        Assert.False(few.Promoted);
        Assert.Equal("not measured: too few rows to estimate PSI: 5 with values of 'distance', and it needs at least 100 (10 per bin × 10 bins) in the last 1d", Assert.Single(few.Gates).Value);
        // A minimum the policy sets instead: the gate then measures five rows, as it was told to.
        Assert.True(enough.Promoted, enough.Gates[0].Value);
        Assert.StartsWith("PSI ", enough.Gates[0].Value, StringComparison.Ordinal);
        Assert.False(missing.Promoted);
        Assert.Equal("not measured: input 'hour' has no values in the 1,005 rows served in the last 1d", Assert.Single(missing.Gates).Value);
        Assert.Equal("driftMinRows", Assert.Throws<InvalidOptionException>(() => new PromotionPolicy([], maxDrift: 0.2, driftMinRows: 0)).Option);
    }

    [Fact]
    public void The_drift_window_comes_from_yaml_or_the_stored_policy_and_sets_how_much_traffic_the_gate_reads()
    {
        _store.WriteConfig("""
            registry:
              gates:
                delays:
                  champion: {max_drift: 0.3, drift_window: 2h}
            """);
        var registry = ModelRegistry.Open(Workspace, _clock);
        var reference = new ReferenceStatistics(100, [ReferenceProfiler.Numeric("distance", Enumerable.Range(0, 100).Select(i => i * 10.0).ToArray())], []);
        registry.Register("delays", new ModelRegistration([1]) { Reference = reference });
        // Traffic three hours ago only: outside a 2 h window, inside a 7 d one.
        PredictionLogWriter.Write(Workspace, "delays", _clock.GetUtcNow().AddHours(-3), Enumerable.Range(0, 100).Select(i => i * 10.0).ToArray(), ["ORD"]);

        var narrow = registry.Promote("delays", 1, "staging", null, null, []);
        var yaml = registry.Promote("delays", 1, "champion", null, null, []);
        registry.SetPolicy("delays", "staging", new PromotionPolicy([], maxDrift: 0.3, driftWindow: TimeSpan.FromDays(7)));
        var stored = registry.Promote("delays", 1, "staging", null, null, []);

        Assert.True(narrow.Promoted);
        Assert.Equal("no served traffic of delays in the prediction log over the last 2h to compare with", Assert.Single(yaml.Gates).Value);
        Assert.Equal(TimeSpan.FromDays(7), registry.Policy("delays", "staging").DriftWindow);
        Assert.True(stored.Promoted, stored.Gates[0].Value);
        Assert.EndsWith("against 100 rows served in the last 7d", Assert.Single(stored.Gates).Value, StringComparison.Ordinal);
        Assert.Equal("driftWindow", Assert.Throws<InvalidOptionException>(() => new PromotionPolicy([], driftWindow: TimeSpan.FromDays(1))).Option);
    }

    [Fact]
    public void Gates_written_in_notebookml_yaml_apply_to_every_promotion_and_setting_the_alias_directly_is_refused()
    {
        _store.WriteConfig("""
            registry:
              gates:
                delays:
                  champion:
                    require:
                      - test_auc>=0.715
            """);
        var registry = Registry(0.72, 0.71);

        var promoted = registry.Promote("delays", 1, "champion", null, null, []);
        var refused = registry.Promote("delays", 2, "champion", null, "no gates given here", []);

        Assert.True(promoted.Promoted);
        Assert.False(refused.Promoted);
        Assert.Equal("test_auc>=0.715", Assert.Single(refused.Gates).Gate);
        Assert.Equal("@champion of 'delays' has promotion gates (notebookml.yaml or the registry's policy); promote the version instead of setting the alias.",
            Assert.Throws<InvalidOperationException>(() => registry.SetAlias("delays", "champion", 2)).Message);
        registry.SetAlias("delays", "staging", 2);
        Assert.Equal(2, registry.AliasVersion("delays", "staging")!.Version);
    }

    [Fact]
    public void Gates_set_through_the_api_are_kept_in_the_registry_and_combine_with_the_ones_given()
    {
        var registry = Registry(0.72, 0.73);
        registry.SetPolicy("delays", "champion", new PromotionPolicy(["test_auc>=0.70"]));

        var result = ModelRegistry.Open(Workspace, _clock).Promote("delays", 2, "champion", new PromotionPolicy(["test_auc>=champion"]), null, []);

        Assert.Equal(["test_auc>=0.70", "test_auc>=champion"], result.Gates.Select(g => g.Gate));
        registry.SetPolicy("delays", "champion", PromotionPolicy.None);
        Assert.True(registry.Policy("delays", "champion").IsEmpty);
    }

    [Theory]
    [InlineData("test_auc", "'test_auc' is not a gate; expected METRIC OP VALUE with OP one of >= <= > < ==, e.g. test_auc>=0.72 or test_auc>=champion-0.002.")]
    [InlineData("test_auc>=Champion", "'test_auc>=Champion': 'Champion' is neither a number nor ALIAS[+-NUMBER] (e.g. champion-0.002).")]
    [InlineData("test_auc=>0.7", "'test_auc=>0.7' is not a gate; expected METRIC OP VALUE with OP one of >= <= > < ==, e.g. test_auc>=0.72 or test_auc>=champion-0.002.")]
    public void A_malformed_gate_names_the_option_and_what_was_expected(string gate, string reason)
    {
        var error = Assert.Throws<InvalidOptionException>(() => new PromotionPolicy([gate]));

        Assert.Equal(("require", reason), (error.Option, error.Reason));
    }

    [Fact]
    public void A_malformed_gate_in_notebookml_yaml_names_the_file_and_line()
    {
        _store.WriteConfig("registry:\n  gates:\n    delays:\n      champion:\n        require: [test_auc]\n");
        var registry = Registry(0.72);

        var error = Assert.Throws<InvalidDataException>(() => registry.Promote("delays", 1, "champion", null, null, []));

        Assert.Equal($"{Path.Combine(_store.Folder, "notebookml.yaml")}:{5 + _store.Yaml.Count(c => c == '\n')}: registry.gates.delays.champion: 'test_auc' is not a gate; expected METRIC OP VALUE with OP one of >= <= > < ==, e.g. test_auc>=0.72 or test_auc>=champion-0.002.", error.Message);
    }

    private ModelRegistry Registry(params double[] aucs)
    {
        var registry = ModelRegistry.Open(Workspace, _clock);
        foreach (var auc in aucs)
        {
            registry.Register("delays", new ModelRegistration([1]) { Metrics = new Dictionary<string, double> { ["test_auc"] = auc } });
        }

        return registry;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _store.Dispose();
    }
}

/// <summary>Gated promotion on the embedded store.</summary>
public sealed class PromotionTestsOnSqlite() : PromotionTests(StoreEngine.Sqlite);

/// <summary>Gated promotion on PostgreSQL.</summary>
public sealed class PromotionTestsOnPostgreSql() : PromotionTests(StoreEngine.PostgreSql);
