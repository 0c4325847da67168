using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;
using Cocoon.Confidential.Simulation;
using Cocoon.Errors;

namespace Cocoon.Client;

/// <summary>
/// The client's attestation verifier: pins the data directory's dev CA root (only the public certificate is read) as a
/// simulated root when present, applies the configured policy, and caches verdicts per (node, evidence version).
/// </summary>
public static class ClientAttestation
{
    public static readonly TimeSpan VerdictTtl = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Built on first use, not at connect: a dev silo writes its CA when its first node describes itself, which may be
    /// after this client connected.
    /// </summary>
    public static IAttestationVerifier CreateVerifier(CocoonConnection connection, CocoonClientOptions options, TimeProvider time) =>
        new OnFirstUse(new Lazy<IAttestationVerifier>(() => Create(connection, options, time)));

    private sealed class OnFirstUse(Lazy<IAttestationVerifier> inner) : IAttestationVerifier
    {
        public ValueTask<AttestationResult> VerifyAsync(string nodeId, Confidential.Keys.Evidence evidence, CancellationToken cancellationToken = default) =>
            inner.Value.VerifyAsync(nodeId, evidence, cancellationToken);
    }

    private static IAttestationVerifier Create(CocoonConnection connection, CocoonClientOptions options, TimeProvider time)
    {
        var rootFile = Path.Combine(DevCertificateAuthority.ResolveFolder(options.DevCaPath, connection.Home), DevCertificateAuthority.RootCertificateFile);
        TrustAnchors anchors = TrustAnchors.IntelOnly;
        var devRoot = false;
        if (File.Exists(rootFile))
        {
            try
            {
                using var root = X509Certificate2.CreateFromPem(File.ReadAllText(rootFile));
                anchors = new TrustAnchors([TrustAnchors.KeyIdOf(root)]);
                devRoot = true;
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new CocoonException("attestation_config", $"The dev CA root '{rootFile}' cannot be read: {e.Message}");
            }
        }
        AttestationPolicy policy;
        try
        {
            policy = options.AttestationPolicyFile is { } file ? AttestationPolicy.Load(file)
                : devRoot ? AttestationPolicy.Development : AttestationPolicy.Default;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new CocoonException("attestation_config", $"The attestation policy '{options.AttestationPolicyFile}' cannot be used: {e.Message}");
        }
        ICollateralProvider? collateral;
        try
        {
            // Without either, Intel-rooted quotes fail with "no collateral source is configured" and are dropped.
            collateral = CollateralSource.Create(
                options.CollateralPath ?? Environment.GetEnvironmentVariable("COCOON_COLLATERAL"),
                options.PcsUrl ?? Environment.GetEnvironmentVariable("COCOON_PCS_URL"), null, Path.Combine(connection.Home, "collateral"), time: time);
        }
        catch (Exception e) when (e is CollateralFormatException or UriFormatException or IOException)
        {
            throw new CocoonException("attestation_config", $"The attestation collateral source cannot be used: {e.Message}");
        }
        return new CachingAttestationVerifier(new AttestationVerifier(new QuoteVerifier(anchors), collateral, policy, time), time, VerdictTtl);
    }
}
