using TorchSharp;

namespace Cocoon.Inference.Torch;

/// <summary>Process-wide TorchSharp setup: device choice and intra-op threads, done once.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<torch.Device> LazyDevice = new(Initialize);

    /// <summary>CUDA when the CUDA build of TorchSharp finds a GPU, otherwise the CPU.</summary>
    public static torch.Device DefaultDevice => LazyDevice.Value;

    public static bool IsCuda => DefaultDevice.type == DeviceType.CUDA;

    private static torch.Device Initialize()
    {
        // Decode is memory-bound; every core helps matrix-vector products, and libtorch's default may be lower.
        torch.set_num_threads(Environment.ProcessorCount);
        return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
    }
}
