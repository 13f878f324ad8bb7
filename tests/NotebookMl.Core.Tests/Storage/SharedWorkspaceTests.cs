using NotebookMl.Core.Registry;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Storage;

/// <summary>
/// A team's workspace: the store on a real PostgreSQL, the artifact root in a real S3-compatible server (s3rver). What one
/// workspace writes, another sees after the first is deleted; a register whose bytes cannot be written creates no version;
/// credentials in notebookml.yaml are refused.
/// </summary>
public sealed class SharedWorkspaceTests : IDisposable
{
    private readonly S3Server _s3 = new();
    private readonly TestStore _store = new(postgres: true, "notebookml-shared-");

    public SharedWorkspaceTests()
    {
        foreach (var (name, value) in _s3.Environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Fact]
    public void A_second_workspace_sees_the_runs_models_and_bytes_of_a_first_one_that_was_deleted()
    {
        var first = Workspace("first");
        var onnx = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        string runId;
        using (var run = Tracker.Open(first).StartRun("flight-delays", "lightgbm"))
        {
            run.LogParam("trees", 200).LogMetric("test_auc", 0.71).LogText("feature importance", "importance.txt");
            runId = run.Id;
        }

        var registry = ModelRegistry.Open(first);
        registry.Register("delays", new ModelRegistration(onnx) { RunId = runId });
        registry.SetAlias("delays", "champion", 1, "first");
        Directory.Delete(first.Root, recursive: true);

        var second = Workspace("second");
        var tracker = Tracker.Open(second);
        var seen = ModelRegistry.Open(second);

        var summary = Assert.Single(tracker.ListRuns());
        Assert.Equal((runId, "lightgbm", "200", 0.71), (summary.Id, summary.Name, summary.Params["trees"], summary.Metrics["test_auc"]));
        Assert.Equal("feature importance", System.Text.Encoding.UTF8.GetString(tracker.ReadArtifact(runId, "importance.txt")));
        var champion = seen.Resolve(ModelUri.Parse("models:/delays@champion"));
        Assert.Equal(onnx, seen.ReadOnnx(champion));
        Assert.Equal([(null, (int?)1)], seen.History("delays").Select(c => (c.FromVersion, c.ToVersion)));
        var blobs = ArtifactSettings.Of(second);
        Assert.Contains($"registry/sha256/{champion.OnnxSha256[..2]}/{champion.OnnxSha256[2..]}", blobs.List("registry/"));
        Assert.StartsWith($"s3://{_s3.Bucket}/team", blobs.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void A_register_whose_bytes_cannot_be_stored_creates_no_version_and_numbering_goes_on_without_a_gap()
    {
        var registry = ModelRegistry.Open(Workspace("team"));
        registry.Register("delays", new ModelRegistration([1, 2, 3]));

        _s3.Stop();
        var error = Assert.Throws<StoreAccessException>(() => registry.Register("delays", new ModelRegistration([4, 5, 6])));
        _s3.Start();
        var next = registry.Register("delays", new ModelRegistration([7, 8, 9]));

        Assert.StartsWith($"s3://{_s3.Bucket}/team: the artifact store cannot be reached", error.Message, StringComparison.Ordinal);
        Assert.Equal([2, 1], registry.ListVersions("delays").Select(v => v.Version));
        Assert.Equal(new byte[] { 7, 8, 9 }, registry.ReadOnnx(next));
    }

    [Theory]
    [InlineData("store: postgresql://ml:secret@db.internal:5432/ml\n", "store: the URL carries a password, and this file may be committed; remove it and set PGPASSWORD or add it to ~/.pgpass.")]
    [InlineData("artifacts: s3://KEY:SECRET@ml/team\n", "artifacts: the URL carries credentials; remove them and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or use a profile).")]
    [InlineData("store: postgresql://ml@db.internal/ml?sslmode=sometimes\n", "sslmode: expected disable, allow, prefer, require, verify-ca or verify-full, got 'sometimes'.")]
    public void Credentials_in_notebookml_yaml_are_refused_with_where_they_go(string yaml, string expected)
    {
        var folder = Path.Combine(_store.Folder, "refused");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notebookml.yaml"), yaml);
        var workspace = WorkspaceLocation.At(folder);

        var error = Assert.Throws<InvalidDataException>(() => yaml.StartsWith("store", StringComparison.Ordinal) ? (object?)StoreSettings.Of(workspace) : ArtifactSettings.Of(workspace));

        Assert.Equal($"{Path.Combine(folder, "notebookml.yaml")}:1: {expected}", error.Message);
    }

    public void Dispose()
    {
        _s3.Dispose();
        _store.Dispose();
    }

    private WorkspaceLocation Workspace(string name)
    {
        var folder = Path.Combine(_store.Folder, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notebookml.yaml"), $"{_store.Yaml}artifacts: {_s3.Url("team")}\n");
        return WorkspaceLocation.At(folder);
    }
}
