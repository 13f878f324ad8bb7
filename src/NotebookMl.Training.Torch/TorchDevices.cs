using TorchSharp;
using NotebookMl.Core.Options;

namespace NotebookMl.Training.Torch;

/// <summary>Device names as users type them: auto, cpu, cuda, cuda:N.</summary>
public static class TorchDevices
{
    /// <summary>The device for <paramref name="name"/>; auto is CUDA when this build and machine have it, else CPU.</summary>
    public static torch.Device Resolve(string name)
    {
        var cuda = CudaAvailable();
        switch (name)
        {
            case "auto":
                return cuda ? torch.CUDA : torch.CPU;
            case "cpu":
                return torch.CPU;
            default:
                if (name != "cuda" && !(name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name[5..], out _)))
                {
                    throw new InvalidOptionException("Device", $"'{name}' is not auto, cpu, cuda or cuda:N.");
                }

                if (!cuda)
                {
                    throw new InvalidOptionException("Device", $"{name}: no CUDA device here (this build uses TorchBackend=cpu or the machine has no GPU); build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU, or use the cpu device.");
                }

                var index = name == "cuda" ? 0 : int.Parse(name[5..], System.Globalization.CultureInfo.InvariantCulture);
                return index < torch.cuda.device_count()
                    ? new torch.Device(DeviceType.CUDA, index)
                    : throw new InvalidOptionException("Device", $"{name}: there are {torch.cuda.device_count()} CUDA devices.");
        }
    }

    /// <summary>Whether CUDA is usable; the first call loads TorchSharp's native library, and says in one line why it could not.</summary>
    private static bool CudaAvailable()
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            var reason = (e.InnerException ?? e).Message.Split('\n')[0];
            throw new InvalidOperationException($"TorchSharp's native library did not load on this machine, so the MLP and CNN learners are unavailable ({reason}); see build/torchsharp-glibcxx/README.md. The other learners do not need it.", e);
        }
    }
}
