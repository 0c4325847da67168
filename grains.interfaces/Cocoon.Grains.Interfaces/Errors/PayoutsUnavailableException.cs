namespace Cocoon.Errors;

/// <summary>This network has no treasury configured, so it cannot pay out; the operator must configure one.</summary>
[GenerateSerializer, Alias("cocoon.error.payouts-unavailable.v1")]
public sealed class PayoutsUnavailableException()
    : CocoonException("payouts_unavailable", "This network pays out no TON: its operator has not configured a treasury (Cocoon:Treasury, see docs/ton.md).");
