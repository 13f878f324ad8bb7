using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookMl.Training.Torch.Images;

/// <summary>
/// A small CNN for 28×28 grayscale images: Conv(16, 3×3) → BatchNorm → ReLU → MaxPool 2 → Conv(32, 3×3) →
/// ReLU → MaxPool 2 → Flatten → Dense 64 → ReLU → Dense (classes), logits out. Inputs are pixels 0–255,
/// normalized inside (<see cref="Normalize"/>) so the exported graph takes raw pixels too.
/// </summary>
public sealed class ConvNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Fashion-MNIST's pixel mean and standard deviation (on 0–1).</summary>
    public const float Mean = 0.2860f, Deviation = 0.3530f;

    public ConvNet(int classes, int height = 28, int width = 28)
        : base("convnet")
    {
        _conv1 = nn.Conv2d(1, 16, 3, padding: 1);
        _norm1 = nn.BatchNorm2d(16, eps: 1e-5);
        _conv2 = nn.Conv2d(16, 32, 3, padding: 1);
        _dense1 = nn.Linear(32 * (height / 4) * (width / 4), 64);
        _dense2 = nn.Linear(64, classes);
        RegisterComponents();
    }

    // Fields, not properties: RegisterComponents names the parameters after them (conv1.weight, …).
#pragma warning disable SA1214, IDE0044
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _norm1;
    private readonly Conv2d _conv2;
    private readonly Linear _dense1;
    private readonly Linear _dense2;
#pragma warning restore SA1214, IDE0044

    public Conv2d Conv1 => _conv1;

    public BatchNorm2d Norm1 => _norm1;

    public Conv2d Conv2 => _conv2;

    public Linear Dense1 => _dense1;

    public Linear Dense2 => _dense2;

    /// <summary>Raw pixels to the network's input: <c>(x / 255 − Mean) × (1 / Deviation)</c>.</summary>
    public static Tensor Normalize(Tensor pixels) => pixels.mul(1f / 255f).sub(Mean).mul(1f / Deviation);

    /// <inheritdoc/>
    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.max_pool2d(nn.functional.relu(Norm1.forward(Conv1.forward(Normalize(pixels)))), 2);
        x = nn.functional.max_pool2d(nn.functional.relu(Conv2.forward(x)), 2);
        x = nn.functional.relu(Dense1.forward(x.flatten(1)));
        return Dense2.forward(x).MoveToOuterDisposeScope();
    }
}
