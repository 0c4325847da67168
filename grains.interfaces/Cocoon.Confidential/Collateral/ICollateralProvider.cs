namespace Cocoon.Confidential.Collateral;

/// <summary>What collateral a quote needs: the platform's FMSPC and which PCK CA issued its certificate ("platform" or "processor").</summary>
public sealed record CollateralRequest(byte[] Fmspc, string PckCa);

/// <summary>Supplies collateral for a quote. Failures throw <see cref="CollateralUnavailableException"/>.</summary>
public interface ICollateralProvider
{
    ValueTask<QuoteCollateral> GetCollateralAsync(CollateralRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Collateral could not be had (network, PCS error, nothing cached); the verifier reports it as missing collateral.</summary>
public sealed class CollateralUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
