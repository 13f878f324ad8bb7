namespace NotebookMl.Training.Tests;

/// <summary>TorchSharp loads and computes on CPU with the build's libstdc++ fix (Debian 12), not a hand-made one.</summary>
public sealed class TorchLoadTests
{
    [Fact]
    public void Torch_computes_on_cpu() => Assert.Equal(18, NotebookMl.Training.Torch.Probe.Sum());
}
