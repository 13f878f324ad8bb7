using Microsoft.Extensions.Time.Testing;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Workspaces;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Core.Storage;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Registry;

/// <summary>The registry in a real workspace store: versions, aliases and their history, URIs, archive.</summary>
public abstract class ModelRegistryTests(StoreEngine engine) : IDisposable
{
    private readonly TestStore _store = new(engine == StoreEngine.PostgreSql, "notebookml-registry-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    private WorkspaceLocation Workspace => new(_store.Folder, Path.Combine(_store.Folder, WorkspaceLocation.StateFolderName));

    [Fact]
    public void Versions_are_numbered_immutable_and_keep_what_the_run_recorded()
    {
        var registry = ModelRegistry.Open(Workspace, _clock);

        var first = registry.Register("delays", new ModelRegistration([1, 2, 3])
        {
            RunId = new string('a', 32), Metrics = new Dictionary<string, double> { ["test_auc"] = 0.71 }, Params = new Dictionary<string, string> { ["trees"] = "200" },
            FeatureViews = new Dictionary<string, int> { ["origin_landed"] = 1 }, Description = "late flights",
            Signature = new ModelSignature([new TensorSignature("distance", "FP32", [-1, 1])], [new TensorSignature("probability", "FP32", [-1, 1])]),
        });
        var second = registry.Register("delays", Model(4, 5));

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal("models:/delays/1", first.Uri);
        var read = registry.GetVersion("delays", 1);
        Assert.Equal(new string('a', 32), read.RunId);
        Assert.Equal(0.71, read.Metrics["test_auc"]);
        Assert.Equal("200", read.Params["trees"]);
        Assert.Equal(1, read.FeatureViews["origin_landed"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, registry.ReadOnnx(read));
        Assert.Equal(64, read.OnnxSha256.Length);
        Assert.Equal("late flights", read.Description);
        Assert.Equal(("distance", "FP32"), (read.Signature.Inputs[0].Name, read.Signature.Inputs[0].DataType));
        Assert.Equal([-1L, 1L], read.Signature.Inputs[0].Shape);
        Assert.Null(registry.ReadSample(read));
        Assert.Contains("@", read.CreatedBy);
        var model = Assert.Single(registry.ListModels());
        Assert.Equal(("delays", "late flights", 2), (model.Name, model.Description, model.LatestVersion));
        Assert.Equal([2, 1], registry.ListVersions("delays").Select(v => v.Version));
    }

    [Fact]
    public async Task Concurrent_registrations_get_distinct_numbers_and_none_is_lost()
    {
        ModelRegistry.Open(Workspace);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            // Each writer has its own registry (its own connections), as separate processes would.
            var registry = ModelRegistry.Open(Workspace);
            return Enumerable.Range(0, 10).Select(i => registry.Register("busy", Model((byte)w, (byte)i)).Version).ToArray();
        })).ToArray();

        var numbers = (await Task.WhenAll(writers)).SelectMany(n => n).Order().ToArray();

        Assert.Equal(Enumerable.Range(1, 40), numbers);
        Assert.Equal(40, ModelRegistry.Open(Workspace).ListVersions("busy").Count);
    }

    [Fact]
    public void Aliases_move_and_every_change_is_in_the_history_with_who_why_and_gates()
    {
        var registry = ModelRegistry.Open(Workspace, _clock);
        registry.Register("delays", Model(1) with { Metrics = new Dictionary<string, double> { ["test_auc"] = 0.71 } });
        registry.Register("delays", Model(2) with { Metrics = new Dictionary<string, double> { ["test_auc"] = 0.74 } });

        registry.SetAlias("delays", "champion", 1, "first model");
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(registry.Promote("delays", 2, "champion", new PromotionPolicy(["test_auc>=champion-0.002"]), "better AUC", []).Promoted);
        registry.SetAlias("delays", "challenger", 1);

        Assert.Equal(2, registry.Resolve(ModelUri.Parse("models:/delays@champion")).Version);
        Assert.Equal(["champion"], registry.GetVersion("delays", 2).Aliases);
        Assert.Equal(new Dictionary<string, int> { ["challenger"] = 1, ["champion"] = 2 }, registry.ListModels().Single().Aliases);

        registry.DeleteAlias("delays", "challenger", "not needed");
        var history = registry.History("delays");

        Assert.Equal(
            [("champion", (int?)null, (int?)1), ("champion", 1, 2), ("challenger", null, 1), ("challenger", 1, null)],
            history.Select(h => (h.Alias, h.FromVersion, h.ToVersion)));
        Assert.Equal(_clock.GetUtcNow().AddHours(-1), history[0].Time);
        Assert.Equal("better AUC", history[1].Reason);
        Assert.Equal("test_auc = 0.74 vs @champion (version 1) 0.71 - 0.002 = 0.708", Assert.Single(history[1].Gates).Value);
        Assert.All(history, h => Assert.Contains("@", h.Who));
        Assert.Equal("model 'delays' has no alias 'challenger'; its aliases: @champion.",
            Assert.Throws<ArgumentException>(() => registry.Resolve(ModelUri.Parse("models:/delays@challenger"))).Message);
    }

    [Fact]
    public void An_archived_version_keeps_its_number_and_no_alias_may_point_at_it()
    {
        var registry = ModelRegistry.Open(Workspace, _clock);
        registry.Register("delays", Model(1));
        registry.SetAlias("delays", "champion", 1);

        Assert.Equal("models:/delays/1 is @champion; move or delete the alias before archiving it.",
            Assert.Throws<ArgumentException>(() => registry.Archive("delays", 1)).Message.Split(" (Parameter")[0]);
        registry.DeleteAlias("delays", "champion");
        var archived = registry.Archive("delays", 1);
        var next = registry.Register("delays", Model(2));

        Assert.Equal(ModelVersionStatus.Archived, archived.Status);
        Assert.Equal(2, next.Version);
        Assert.StartsWith("models:/delays/1 is archived", Assert.Throws<ArgumentException>(() => registry.SetAlias("delays", "champion", 1)).Message);
    }

    [Fact]
    public void Tags_of_models_and_versions_can_change_while_everything_else_stays()
    {
        var registry = ModelRegistry.Open(Workspace, _clock);
        var registered = registry.Register("delays", Model(1) with { Tags = new Dictionary<string, string> { ["ticket"] = "ML-1" }, DatasetDigest = "abc123" });

        registry.SetTag("delays", 1, "reviewed", "yes");
        registry.SetTag("delays", 1, "ticket", null);
        registry.SetTag("delays", null, "team", "delays");

        var read = registry.GetVersion("delays", 1);
        Assert.Equal(new Dictionary<string, string> { ["reviewed"] = "yes" }, read.Tags);
        Assert.Equal(("abc123", registered.OnnxSha256), (read.DatasetDigest, read.OnnxSha256));
        Assert.Equal(new Dictionary<string, string> { ["team"] = "delays" }, registry.ModelTags("delays"));
        Assert.Equal("delays", registry.ListModels().Single().Tags["team"]);
        Assert.Equal("model 'delays' has no version 4; its versions: 1..1.", Assert.Throws<ArgumentException>(() => registry.SetTag("delays", 4, "a", "b")).Message);
        Assert.StartsWith("key: '' is not a tag key", Assert.Throws<NotebookMl.Core.Options.InvalidOptionException>(() => registry.SetTag("delays", 1, "", "b")).Message);
    }

    [Theory]
    [InlineData("models:/delays/3", "delays", 3, null, null)]
    [InlineData("models:/flight-delays@champion", "flight-delays", null, "champion", null)]
    [InlineData("runs:/0123456789abcdef0123456789abcdef/model", null, null, null, "0123456789abcdef0123456789abcdef")]
    public void Uris_parse_and_print_back(string text, string? name, int? version, string? alias, string? run)
    {
        var uri = ModelUri.Parse(text);

        Assert.Equal((name, version, alias, run), (uri.Name, uri.Version, uri.Alias, uri.RunId));
        Assert.Equal(text, uri.ToString());
    }

    [Theory]
    [InlineData("models:/delays")]
    [InlineData("models:/delays/0")]
    [InlineData("models:/delays@Champion")]
    [InlineData("runs:/xyz/model")]
    [InlineData("delays")]
    public void Malformed_uris_and_unknown_names_are_one_line(string text)
    {
        Assert.Equal($"'{text}' is not a model URI; expected models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN_ID/model.", Assert.Throws<ArgumentException>(() => ModelUri.Parse(text)).Message);

        var registry = ModelRegistry.Open(Workspace, _clock);
        registry.Register("delays", Model(1));
        Assert.Equal("no registered model 'nope'; models: delays.", Assert.Throws<ArgumentException>(() => registry.GetVersion("nope", 1)).Message);
        Assert.Equal("model 'delays' has no version 7; its versions: 1..1.", Assert.Throws<ArgumentException>(() => registry.GetVersion("delays", 7)).Message);
        Assert.StartsWith("alias: 'Champion' is not an alias", Assert.Throws<NotebookMl.Core.Options.InvalidOptionException>(() => registry.SetAlias("delays", "Champion", 1)).Message);
    }

    internal static ModelRegistration Model(params byte[] onnx) => new(onnx);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _store.Dispose();
    }
}

/// <summary>The model registry on the embedded store.</summary>
public sealed class ModelRegistryTestsOnSqlite() : ModelRegistryTests(StoreEngine.Sqlite);

/// <summary>The model registry on PostgreSQL.</summary>
public sealed class ModelRegistryTestsOnPostgreSql() : ModelRegistryTests(StoreEngine.PostgreSql);
