using System.Security.Cryptography;
using Cocoon.Confidential.Collateral;
using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Attestation;

/// <summary>
/// Verifies evidence as of the clock's now: fetches the collateral the quote's PCK certificate calls for (not for
/// simulated quotes), runs <see cref="QuoteVerifier"/>, and binds REPORTDATA and age to the evidence's claims.
/// </summary>
public sealed class AttestationVerifier(QuoteVerifier quotes, ICollateralProvider? collateral, AttestationPolicy policy, TimeProvider? time = null)
    : IAttestationVerifier
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public AttestationPolicy Policy => policy;

    public async ValueTask<AttestationResult> VerifyAsync(string nodeId, Evidence evidence, CancellationToken cancellationToken = default)
    {
        QuoteCollateral? fetched = null;
        string? unavailable = null;
        var request = CollateralRequestFor(evidence.Quote, quotes.Anchors);
        if (request is not null)
        {
            if (collateral is null)
            {
                unavailable = "no collateral source is configured";
            }
            else
            {
                try
                {
                    fetched = await collateral.GetCollateralAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (CollateralUnavailableException e)
                {
                    unavailable = e.Message;
                }
            }
        }
        byte[]? expected = null;
        if (evidence.X25519PublicKey is { Length: 32 } && evidence.Ed25519PublicKey is { Length: 32 })
        {
            expected = evidence.ExpectedReportData();
        }
        return quotes.Verify(evidence.Quote, fetched, policy, _time.GetUtcNow(), new EvidenceClaims(expected, evidence.IssuedAt), unavailable);
    }

    /// <summary>The collateral an Intel-rooted quote needs, or null when it needs none (simulated) or does not parse (the verifier reports that).</summary>
    internal static CollateralRequest? CollateralRequestFor(byte[] quoteBytes, TrustAnchors anchors)
    {
        try
        {
            var quote = TdxQuote.Parse(quoteBytes);
            var chain = CertificateChain.ParsePem(quote.PckChainPem, "PCK certificate chain");
            if (anchors.IsSimulatedRoot(TrustAnchors.KeyIdOf(chain[^1])))
            {
                return null;
            }
            var extension = PckExtension.FromCertificate(chain[0]);
            var ca = chain[0].Issuer.Contains("Processor", StringComparison.OrdinalIgnoreCase) ? "processor" : "platform";
            return new CollateralRequest(extension.Fmspc, ca);
        }
        catch (Exception e) when (e is QuoteFormatException or CryptographicException or FormatException)
        {
            return null;
        }
    }
}
