namespace Cocoon.Confidential.Collateral;

/// <summary>One fixed collateral set (loaded from a file or folder): offline verification and tests.</summary>
public sealed class StaticCollateralProvider(QuoteCollateral collateral) : ICollateralProvider
{
    public ValueTask<QuoteCollateral> GetCollateralAsync(CollateralRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(collateral);
}
