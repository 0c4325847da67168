namespace Cocoon.Grains.Security;

/// <summary>How signed public requests are checked (docs/security.md).</summary>
public sealed class RequestVerificationOptions
{
    /// <summary>How far a request's timestamp may be from the silo's clock, either way; nonces are remembered this long on each side.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Nonces one grain remembers at most; past it, further requests wait (rate limited) until old nonces expire.</summary>
    public int ReplayCacheLimit { get; set; } = 20_000;
}
