using NotebookMl.Training.Preprocessing;
using NotebookMl.Training.Tabular;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookMl.Training.Torch;

/// <summary>An MLP trained with TorchSharp; predicts on its device, exports through <see cref="MlpGraph"/>.</summary>
public sealed class TorchMlpModel : FittedTabularModel
{
    private readonly IReadOnlyList<Linear> _layers;
    private readonly Device _device;

    internal TorchMlpModel(Sequential network, IReadOnlyList<Linear> layers, Device device, Preprocessor preprocessor, TaskKind task, TrainingOptions options)
        : base(preprocessor, task, options)
    {
        (Network, _layers, _device) = (network, layers, device);
    }

    /// <summary>The TorchSharp module.</summary>
    public Sequential Network { get; }

    /// <inheritdoc/>
    public override ModelGraph Graph => new MlpGraph(
        _layers.Select(l => new DenseLayer(l.weight!.cpu().data<float>().ToArray(), l.bias!.cpu().data<float>().ToArray(), (int)l.in_features, (int)l.out_features)).ToArray(),
        Task == TaskKind.Binary ? new Platt(-1, 0) : null);

    /// <inheritdoc/>
    public override (float[] Score, float[]? Probability) PredictVectors(float[] matrix, int rows)
    {
        Network.eval();
        var width = Preprocessor.Width;
        var score = new float[rows];
        using var noGrad = torch.no_grad();
        for (var start = 0; start < rows; start += 65_536)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(65_536, rows - start);
            var x = torch.tensor(matrix.AsSpan(start * width, count * width).ToArray(), [count, width], device: _device);
            Network.forward(x).cpu().data<float>().ToArray().CopyTo(score, start);
        }

        return (score, Task == TaskKind.Binary ? score.Select(s => 1f / (1f + MathF.Exp(-s))).ToArray() : null);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<(string File, string ArtifactPath)> SaveNative(string folder)
    {
        var model = Path.Combine(folder, "model.pt");
        var preprocessing = Path.Combine(folder, "preprocessing.json");
        Network.save(model);
        File.WriteAllText(preprocessing, PreprocessingJson());
        return [(model, "model/model.pt"), (preprocessing, "model/preprocessing.json")];
    }
}
