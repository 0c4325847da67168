namespace Cocoon.Confidential.RaTls;

/// <summary>A TEE that produces quotes over 64 bytes of REPORTDATA: TDX (configfs-tsm) or the simulated TEE.</summary>
public interface IQuoteSource
{
    byte[] CreateQuote(ReadOnlySpan<byte> reportData);
}
