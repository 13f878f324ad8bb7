namespace NotebookMl.Training.Torch;

public static class Probe
{
    public static double Sum() => TorchSharp.torch.ones(3, 3).mul(2).sum().item<float>();
}
