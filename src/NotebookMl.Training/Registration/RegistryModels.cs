using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Core.Registry.Promotion;

namespace NotebookMl.Training.Registration;

/// <summary>
/// The registry's operations that need ONNX Runtime: <c>ModelRegistry.Load("models:/flight-delays@champion")</c> returns a
/// <see cref="LoadedModel"/> that predicts in-process, and <c>registry.Promote(…)</c> runs the ONNX gate with the others.
/// </summary>
public static class RegistryModels
{
    extension(ModelRegistry)
    {
        /// <summary>
        /// Loads the model <paramref name="uri"/> names (<c>models:/NAME/N</c>, <c>models:/NAME@ALIAS</c> or <c>runs:/RUN_ID/model</c>)
        /// from the current workspace, ready to predict.
        /// </summary>
        public static LoadedModel Load(string uri)
        {
            var parsed = ModelUri.Parse(uri);
            var workspace = WorkspaceLocation.CurrentExisting();
            return parsed.RunId is null ? ModelRegistry.Open(workspace).Load(parsed) : LoadRun(Tracker.Open(workspace), parsed);
        }
    }

    extension(ModelRegistry registry)
    {
        /// <summary>Loads the version <paramref name="uri"/> names (its alias resolved now), checked against its content hash.</summary>
        public LoadedModel Load(ModelUri uri)
        {
            var version = registry.Resolve(uri);
            return LoadedModel.FromOnnx(registry.ReadOnnx(version), version.Uri, version);
        }

        /// <summary>
        /// Promotes <paramref name="name"/> version <paramref name="version"/> to <paramref name="alias"/> if every gate passes: the
        /// ONNX gate, <paramref name="gates"/>, and the alias's policy. The result lists every gate; the alias moves only when all passed.
        /// </summary>
        public PromotionResult Promote(string name, int version, string alias, PromotionPolicy? gates = null, string? reason = null) =>
            registry.Promote(name, version, alias, gates, reason, [new OnnxReproductionGate()]);
    }

    private static LoadedModel LoadRun(Tracker tracker, ModelUri uri)
    {
        var path = uri.ArtifactPath!.EndsWith(".onnx", StringComparison.Ordinal) ? uri.ArtifactPath : $"{uri.ArtifactPath.TrimEnd('/')}/model.onnx";
        return LoadedModel.FromOnnx(tracker.ReadArtifact(uri.RunId!, path), uri.ToString());
    }
}
