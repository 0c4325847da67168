namespace Cocoon.Ton.Messages;

/// <summary>The mode byte of <c>SENDRAWMSG</c> / <c>action_send_msg</c>.</summary>
[Flags]
public enum SendMode : byte
{
    None = 0,

    /// <summary>The sender pays forwarding fees on top of the value.</summary>
    PayGasSeparately = 1,

    /// <summary>Errors while processing this message in the action phase are ignored.</summary>
    IgnoreErrors = 2,

    /// <summary>Bounce the transaction if this action fails.</summary>
    BounceIfActionFails = 16,

    /// <summary>Destroy the account if its balance drops to zero (with <see cref="CarryAllRemainingBalance"/>).</summary>
    DestroyAccountIfZero = 32,

    CarryAllRemainingIncomingValue = 64,

    CarryAllRemainingBalance = 128,

    /// <summary>What wallets use for ordinary transfers: fees paid separately, errors ignored (mode 3).</summary>
    Default = PayGasSeparately | IgnoreErrors,
}
