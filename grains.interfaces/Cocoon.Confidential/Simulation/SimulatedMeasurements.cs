using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Confidential.Simulation;

/// <summary>The TD measurements a simulated quote reports. The defaults are fixed labels' hashes, so dev policies can allowlist them.</summary>
public sealed record SimulatedMeasurements(byte[] MrTd, byte[] MrConfigId, byte[] MrOwner, byte[] MrOwnerConfig, IReadOnlyList<byte[]> Rtmrs, bool Debug = false)
{
    public static SimulatedMeasurements Default { get; } = new(
        Label("mrtd"), new byte[48], new byte[48], new byte[48],
        [Label("rtmr0"), Label("rtmr1"), Label("rtmr2"), new byte[48]]);

    private static byte[] Label(string name) => SHA384.HashData(Encoding.ASCII.GetBytes("cocoon simulated tee " + name));
}
