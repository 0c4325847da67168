using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;

namespace Cocoon.Confidential.RaTls;

/// <summary>
/// Judges a peer's RA-TLS certificate, synchronously (TLS validation callbacks cannot await): its extensions must bind
/// the quote to the certificate's own key (REPORTDATA, always required here), and the quote must pass the policy, with
/// collateral from <see cref="LocalCollateral"/>. Verdicts are cached by certificate hash until <c>ttl</c> (failures
/// for at most a minute, so a collateral fetch in progress heals), and never past the evidence's maximum age.
/// </summary>
public sealed class RaTlsVerifier
{
    private const int MaxCachedVerdicts = 4096;

    private readonly QuoteVerifier _quotes;
    private readonly AttestationPolicy _policy;
    private readonly LocalCollateral? _collateral;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly ConcurrentDictionary<string, (AttestationResult Result, DateTimeOffset ExpiresAt)> _verdicts = new(StringComparer.Ordinal);

    public RaTlsVerifier(QuoteVerifier quotes, AttestationPolicy policy, LocalCollateral? collateral, TimeProvider time, TimeSpan? ttl = null)
    {
        _quotes = quotes;
        // A quote not bound to the presented key proves nothing about the peer: the binding is not optional here.
        _policy = policy with { RequireReportDataBinding = true };
        _collateral = collateral;
        _time = time;
        _ttl = ttl ?? TimeSpan.FromMinutes(10);
    }

    public AttestationPolicy Policy => _policy;

    public AttestationResult Verify(X509Certificate2 certificate)
    {
        var now = _time.GetUtcNow();
        var key = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (_verdicts.TryGetValue(key, out var cached) && now < cached.ExpiresAt)
        {
            return cached.Result;
        }
        var result = VerifyUncached(certificate, now, out var evidence);
        if (result.FirstFailure?.Name == AttestationCheckNames.CollateralPresent)
        {
            // Collateral is being fetched: the peer's next attempt must see it, not this verdict.
            return result;
        }
        var expires = now + (result.Verified ? _ttl : TimeSpan.FromSeconds(Math.Min(60, _ttl.TotalSeconds)));
        if (result.Verified && evidence is not null && _policy.MaxEvidenceAge is { } maxAge && evidence.IssuedAt + maxAge < expires)
        {
            expires = evidence.IssuedAt + maxAge;
        }
        if (_verdicts.Count >= MaxCachedVerdicts)
        {
            // Peers present new certificates hourly: dropping everything now and then bounds memory simply.
            _verdicts.Clear();
        }
        _verdicts[key] = (result, expires);
        return result;
    }

    private AttestationResult VerifyUncached(X509Certificate2 certificate, DateTimeOffset now, out RaTlsEvidence? evidence)
    {
        evidence = null;
        string? problem;
        try
        {
            evidence = RaTlsEvidence.FromCertificate(certificate);
            problem = evidence is null ? "the certificate carries no RA-TLS evidence (no quote extension)" : CheckCertificate(certificate, evidence, now);
        }
        catch (Exception e) when (e is RaTlsException or CryptographicException)
        {
            problem = e.Message;
        }
        if (problem is not null)
        {
            return new AttestationResult([new AttestationCheck(AttestationCheckNames.RaTlsCertificate, CheckOutcome.Fail, problem)], null, null, false, now);
        }
        QuoteCollateral? collateral = null;
        string? unavailable = null;
        var request = AttestationVerifier.CollateralRequestFor(evidence!.Quote, _quotes.Anchors);
        if (request is not null)
        {
            collateral = _collateral is null ? null : _collateral.TryGet(request, out unavailable);
            if (_collateral is null)
            {
                unavailable = "no collateral source is configured";
            }
        }
        var result = _quotes.Verify(evidence.Quote, collateral, _policy, now, new EvidenceClaims(evidence.ExpectedReportData(), evidence.IssuedAt), unavailable);
        var checks = new List<AttestationCheck>(result.Checks.Count + 1)
        {
            new(AttestationCheckNames.RaTlsCertificate, CheckOutcome.Pass, "quote and key bound in Cocoon RA-TLS extensions"),
        };
        checks.AddRange(result.Checks);
        return new AttestationResult(checks, result.TcbStatus, result.Quote, result.Simulated, result.VerifiedAt);
    }

    private static string? CheckCertificate(X509Certificate2 certificate, RaTlsEvidence evidence, DateTimeOffset now)
    {
        if (!certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(evidence.SubjectPublicKeyInfo))
        {
            return "the RA-TLS binding names another key than the certificate's";
        }
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return $"the certificate is not valid now (valid {certificate.NotBefore.ToUniversalTime():O} to {certificate.NotAfter.ToUniversalTime():O})";
        }
        return null;
    }
}
