namespace Cocoon.Inference.Tests.Torch;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void A_tiny_torch_op_runs()
    {
        using var a = TorchSharp.torch.ones(2, 3);
        using var b = a.sum();
        Assert.Equal(6f, b.item<float>());
    }
}
