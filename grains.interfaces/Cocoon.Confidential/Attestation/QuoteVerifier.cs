using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cocoon.Confidential.Collateral;
using static Cocoon.Confidential.Attestation.AttestationCheckNames;

namespace Cocoon.Confidential.Attestation;

/// <summary>
/// DCAP verification of a TDX quote at a given instant, offline: signatures, PCK chain to a pinned root, collateral
/// (CRLs, TCB info, QE identity) with their chains and windows, TCB status, then the policy. Never throws on bad input:
/// every problem becomes a failed, named check.
/// </summary>
public sealed class QuoteVerifier(TrustAnchors anchors)
{
    // Clock skew tolerated for an issued-at claim in the future.
    private static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    public TrustAnchors Anchors { get; } = anchors;

    /// <param name="collateralUnavailable">Why collateral could not be had, reported when <paramref name="collateral"/> is null.</param>
    public AttestationResult Verify(ReadOnlySpan<byte> quoteBytes, QuoteCollateral? collateral, AttestationPolicy policy, DateTimeOffset at,
        EvidenceClaims? claims = null, string? collateralUnavailable = null)
    {
        claims ??= EvidenceClaims.None;
        var checks = new List<AttestationCheck>(32);
        void Pass(string name, string detail) => checks.Add(new(name, CheckOutcome.Pass, detail));
        void Fail(string name, string detail) => checks.Add(new(name, CheckOutcome.Fail, detail));
        void Skip(string name, string detail) => checks.Add(new(name, CheckOutcome.Skip, detail));
        bool Run(string name, Func<string?> check, string passDetail)
        {
            try
            {
                var failure = check();
                if (failure is null)
                {
                    Pass(name, passDetail);
                    return true;
                }
                Fail(name, failure);
            }
            catch (Exception e) when (e is CryptographicException or FormatException or CollateralFormatException or QuoteFormatException
                or ArgumentException or OverflowException or InvalidOperationException)
            {
                Fail(name, e.Message);
            }
            return false;
        }

        if (!TdxQuote.TryParse(quoteBytes, out var quote, out var parseError))
        {
            Fail(QuoteParse, parseError!);
            return new AttestationResult(checks, null, null, false, at);
        }
        Pass(QuoteParse, $"TDX quote v{quote!.Version}, body type {quote.BodyType}, {quote.DeclaredLength} bytes declared of {quoteBytes.Length}");

        Run(QuoteSignature, () => EcdsaP256.VerifyRaw(quote.AttestationKey, quote.SignedData, quote.Signature)
            ? null : "quote signature does not verify with the attestation key", "header and TD report signed by the attestation key");

        X509Certificate2[]? pckChain = null;
        var simulated = false;
        var chainOk = Run(PckChain, () =>
        {
            pckChain = CertificateChain.ParsePem(quote.PckChainPem, "PCK certificate chain");
            return CertificateChain.Verify(pckChain, Anchors, at, out simulated);
        }, "PCK chain verifies to a pinned root");
        if (chainOk)
        {
            checks[^1] = checks[^1] with { Detail = simulated ? "PCK chain verifies to a pinned simulated (dev) root" : "PCK chain verifies to the pinned Intel SGX Root CA" };
        }

        if (pckChain is { Length: > 0 })
        {
            Run(QeReportSignature, () =>
            {
                using var pckKey = pckChain[0].GetECDsaPublicKey() ?? throw new CryptographicException("PCK certificate has no EC key");
                return EcdsaP256.VerifyRaw(pckKey, quote.QeReport.Raw, quote.QeReportSignature)
                    ? null : "QE report signature does not verify with the PCK certificate's key";
            }, "QE report signed by the PCK key");
        }
        else
        {
            Skip(QeReportSignature, "needs the PCK certificate");
        }

        Run(QeBindsAttestationKey, () =>
        {
            Span<byte> expected = stackalloc byte[32];
            SHA256.HashData([.. quote.AttestationKey, .. quote.QeAuthData], expected);
            var reportData = quote.QeReport.ReportData;
            if (!reportData.AsSpan(0, 32).SequenceEqual(expected))
            {
                return "QE REPORTDATA is not SHA-256(attestation key ‖ QE auth data)";
            }
            return reportData.AsSpan(32).ContainsAnyExcept((byte)0) ? "QE REPORTDATA bytes 32..63 are not zero" : null;
        }, "QE REPORTDATA = SHA-256(attestation key ‖ QE auth data) ‖ zeros");

        TcbStatus? status = null;
        if (chainOk && simulated)
        {
            status = TcbStatus.Simulated;
            if (policy.AllowSimulated)
            {
                Pass(Simulated, "simulated evidence accepted by policy (AllowSimulated)");
            }
            else
            {
                Fail(Simulated, "simulated evidence refused by policy");
            }
            foreach (var name in new[] { CollateralPresent, RootCrl, PckCrl, PckRevocation, TcbInfoCollateral, QeIdentityCollateral, Fmspc, QeIdentityMatch, TcbLevel, TdxModule })
            {
                Skip(name, "simulated evidence: the dev CA stands in for Intel's collateral");
            }
        }
        else
        {
            status = VerifyCollateral(quote, pckChain, collateral, collateralUnavailable, at, Pass, Fail, Skip, Run);
        }

        // Policy.
        if (status is null)
        {
            Skip(PolicyTcbStatus, "no TCB status");
        }
        else if (status == TcbStatus.Simulated)
        {
            Skip(PolicyTcbStatus, "simulated evidence has no Intel TCB status");
        }
        else if (status.Value <= policy.MinimumTcbStatus)
        {
            Pass(PolicyTcbStatus, $"{status} meets the minimum {policy.MinimumTcbStatus}");
        }
        else
        {
            Fail(PolicyTcbStatus, $"TCB status {status} is below the policy's minimum {policy.MinimumTcbStatus}");
        }

        var report = quote.Report;
        if (report.IsDebug && !policy.AllowDebug)
        {
            Fail(Debug, "the TD is debuggable (attributes bit 0) and the policy refuses debug TDs");
        }
        else
        {
            Pass(Debug, report.IsDebug ? "debug TD allowed by policy" : "debug attribute off");
        }

        Allow(MrTd, policy.AllowedMrTd, report.MrTd);
        Allow(Rtmr0, policy.AllowedRtmr0, report.Rtmrs[0]);
        Allow(Rtmr1, policy.AllowedRtmr1, report.Rtmrs[1]);
        Allow(Rtmr2, policy.AllowedRtmr2, report.Rtmrs[2]);
        Allow(Rtmr3, policy.AllowedRtmr3, report.Rtmrs[3]);
        Allow(ImageHash, policy.AllowedImageHashes, report.ComputeImageHash());
        void Allow(string name, IReadOnlySet<string>? allowed, byte[] value)
        {
            var hex = Convert.ToHexStringLower(value);
            if (allowed is null || allowed.Count == 0)
            {
                Skip(name, "no allowlist");
            }
            else if (allowed.Contains(hex))
            {
                Pass(name, $"{hex} is allowed");
            }
            else
            {
                Fail(name, $"{hex} is not in the allowlist");
            }
        }

        if (!policy.RequireReportDataBinding)
        {
            Skip(ReportData, "policy does not bind REPORTDATA");
        }
        else if (claims.ExpectedReportData is null)
        {
            Fail(ReportData, "policy binds REPORTDATA to the node's keys but no keys were presented");
        }
        else if (report.ReportData.AsSpan().SequenceEqual(claims.ExpectedReportData))
        {
            Pass(ReportData, "REPORTDATA matches the presented keys");
        }
        else
        {
            Fail(ReportData, "REPORTDATA does not match the presented keys");
        }

        if (policy.MaxEvidenceAge is not { } maxAge)
        {
            Skip(EvidenceAge, "no age limit");
        }
        else if (claims.IssuedAt is not { } issuedAt)
        {
            Fail(EvidenceAge, "policy limits evidence age but the evidence has no issued-at");
        }
        else if (issuedAt > at + FutureSkew)
        {
            Fail(EvidenceAge, $"evidence issued at {issuedAt:O}, in the future of {at:O}");
        }
        else if (at - issuedAt > maxAge)
        {
            Fail(EvidenceAge, $"evidence issued at {issuedAt:O} is older than {maxAge}");
        }
        else
        {
            Pass(EvidenceAge, $"issued at {issuedAt:O}, within {maxAge}");
        }

        return new AttestationResult(checks, status, quote, simulated, at);
    }

    private TcbStatus? VerifyCollateral(
        TdxQuote quote, X509Certificate2[]? pckChain, QuoteCollateral? collateral, string? unavailable, DateTimeOffset at,
        Action<string, string> Pass, Action<string, string> Fail, Action<string, string> Skip, Func<string, Func<string?>, string, bool> Run)
    {
        Skip(AttestationCheckNames.Simulated, "evidence is not simulated");
        var later = new[] { RootCrl, PckCrl, PckRevocation, TcbInfoCollateral, QeIdentityCollateral, Fmspc, QeIdentityMatch, TcbLevel, TdxModule };
        if (collateral is null)
        {
            Fail(CollateralPresent, "collateral is missing: TCB info, QE identity and CRLs are needed to judge the TCB" + (unavailable is null ? "" : $" ({unavailable})"));
            foreach (var name in later)
            {
                Skip(name, "needs collateral");
            }
            return null;
        }
        Pass(CollateralPresent, "collateral supplied");

        var root = pckChain is { Length: > 0 } ? pckChain[^1] : null;
        CertificateRevocationList? rootCrl = null, pckCrl = null;
        Run(RootCrl, () =>
        {
            if (root is null)
            {
                return "needs the PCK chain's root";
            }
            var crl = CertificateRevocationList.Parse(collateral.RootCaCrl, "root CA CRL");
            if (!crl.IsSignedBy(root))
            {
                return "root CA CRL is not signed by the pinned root";
            }
            var window = Window(crl.ThisUpdate, crl.NextUpdate, at, "root CA CRL");
            rootCrl = window is null ? crl : null;
            return window;
        }, "root CA CRL signed by the root and current");

        Run(PckCrl, () =>
        {
            var chain = CertificateChain.ParsePem(collateral.PckCrlIssuerChain, "PCK CRL issuer chain");
            var chainError = VerifyIssuerChain(chain, rootCrl, at, "PCK CRL issuer chain");
            if (chainError is not null)
            {
                return chainError;
            }
            var crl = CertificateRevocationList.Parse(collateral.PckCrl, "PCK CRL");
            if (!crl.IsSignedBy(chain[0]))
            {
                return "PCK CRL is not signed by its issuer chain's leaf";
            }
            var window = Window(crl.ThisUpdate, crl.NextUpdate, at, "PCK CRL");
            pckCrl = window is null ? crl : null;
            return window;
        }, "PCK CRL signed by its issuer (chain to the pinned root) and current");

        Run(PckRevocation, () =>
        {
            if (pckChain is not { Length: >= 2 })
            {
                return "needs the PCK chain";
            }
            if (pckCrl is null || rootCrl is null)
            {
                return "needs valid PCK and root CRLs";
            }
            if (!pckCrl.Issuer.RawData.AsSpan().SequenceEqual(pckChain[0].IssuerName.RawData))
            {
                return $"PCK CRL is issued by '{pckCrl.Issuer.Name}', the PCK certificate by '{pckChain[0].Issuer}'";
            }
            if (pckCrl.IsRevoked(pckChain[0]))
            {
                return "the PCK certificate is revoked";
            }
            for (var i = 1; i < pckChain.Length - 1; i++)
            {
                if (rootCrl.IsRevoked(pckChain[i]))
                {
                    return $"'{pckChain[i].Subject}' is revoked by the root CA CRL";
                }
            }
            return null;
        }, "no certificate of the PCK chain is revoked");

        Collateral.TcbInfo? tcbInfo = null;
        Run(TcbInfoCollateral, () =>
        {
            var error = VerifySignedJson(collateral.TcbInfoIssuerChain, collateral.TcbInfoJson, collateral.TcbInfoSignature, rootCrl, at, "TCB info");
            if (error is not null)
            {
                return error;
            }
            var parsed = Collateral.TcbInfo.Parse(collateral.TcbInfoJson);
            var window = Window(parsed.IssueDate, parsed.NextUpdate, at, "TCB info");
            tcbInfo = window is null ? parsed : null;
            return window;
        }, "TCB info signed by the TCB signing key (chain to the pinned root) and current");

        Collateral.QeIdentity? qeIdentity = null;
        Run(QeIdentityCollateral, () =>
        {
            var error = VerifySignedJson(collateral.QeIdentityIssuerChain, collateral.QeIdentityJson, collateral.QeIdentitySignature, rootCrl, at, "QE identity");
            if (error is not null)
            {
                return error;
            }
            var parsed = Collateral.QeIdentity.Parse(collateral.QeIdentityJson);
            if (parsed.Id != "TD_QE")
            {
                return $"QE identity is for '{parsed.Id}', not TD_QE";
            }
            var window = Window(parsed.IssueDate, parsed.NextUpdate, at, "QE identity");
            qeIdentity = window is null ? parsed : null;
            return window;
        }, "QE identity signed by the TCB signing key (chain to the pinned root) and current");

        PckExtension? pck = null;
        Run(Fmspc, () =>
        {
            if (pckChain is not { Length: > 0 } || tcbInfo is null)
            {
                return "needs the PCK certificate and valid TCB info";
            }
            pck = PckExtension.FromCertificate(pckChain[0]);
            if (!pck.Fmspc.AsSpan().SequenceEqual(tcbInfo.Fmspc))
            {
                return $"PCK FMSPC {Convert.ToHexStringLower(pck.Fmspc)} differs from TCB info FMSPC {Convert.ToHexStringLower(tcbInfo.Fmspc)}";
            }
            return pck.PceId.AsSpan().SequenceEqual(tcbInfo.PceId) ? null : "PCK PCE-ID differs from TCB info PCE-ID";
        }, "PCK FMSPC and PCE-ID match the TCB info");

        TcbStatus? qeStatus = null;
        Run(QeIdentityMatch, () =>
        {
            if (qeIdentity is null)
            {
                return "needs a valid QE identity";
            }
            var qe = quote.QeReport;
            if (!qe.MrSigner.AsSpan().SequenceEqual(qeIdentity.MrSigner))
            {
                return "QE MRSIGNER does not match the QE identity";
            }
            if (qe.IsvProdId != qeIdentity.IsvProdId)
            {
                return $"QE ISVPRODID {qe.IsvProdId} differs from {qeIdentity.IsvProdId}";
            }
            if ((qe.MiscSelect & qeIdentity.MiscSelectMask) != (qeIdentity.MiscSelect & qeIdentity.MiscSelectMask))
            {
                return "QE MISCSELECT does not match under the mask";
            }
            if (!MaskedEqual(qe.Attributes, qeIdentity.Attributes, qeIdentity.AttributesMask))
            {
                return "QE ATTRIBUTES do not match under the mask";
            }
            foreach (var (svn, levelStatus) in qeIdentity.Levels)
            {
                if (qe.IsvSvn >= svn)
                {
                    qeStatus = levelStatus;
                    return levelStatus == TcbStatus.Revoked ? $"QE ISVSVN {qe.IsvSvn} is revoked" : null;
                }
            }
            return $"QE ISVSVN {qe.IsvSvn} is below every QE TCB level";
        }, "QE matches its identity");
        TcbStatus? platformStatus = null;
        Run(TcbLevel, () =>
        {
            if (pck is null || tcbInfo is null)
            {
                return "needs the PCK TCB and valid TCB info";
            }
            // Intel's TCB level matching (PCS TDX TCB info v3): the first level, in the order served, whose SGX components
            // and PCESVN the PCK certificate meets and whose TDX components the TD's TEE_TCB_SVN meets.
            var teeTcbSvn = quote.Report.TeeTcbSvn;
            var sgxMatched = false;
            foreach (var level in tcbInfo.Levels)
            {
                var sgx = pck.PceSvn >= level.PceSvn && AtLeast(pck.TcbComponentSvns, level.SgxComponents);
                sgxMatched |= sgx;
                if (sgx && TdxAtLeast(teeTcbSvn, level.TdxComponents))
                {
                    platformStatus = level.Status;
                    return level.Status == TcbStatus.Revoked ? "the platform's TCB level is Revoked" : null;
                }
            }
            return sgxMatched
                ? $"no TCB level matches: TEE_TCB_SVN {Convert.ToHexStringLower(teeTcbSvn)} is below every level the SGX TCB allows"
                : $"no TCB level matches: PCK SGX components {Convert.ToHexStringLower(pck.TcbComponentSvns)} / PCESVN {pck.PceSvn} are below every level ({BelowLowest(pck, tcbInfo)})";
        }, "a TCB level matches");

        TcbStatus? moduleStatus = null;
        Run(TdxModule, () =>
        {
            if (tcbInfo is null)
            {
                return "needs valid TCB info";
            }
            var report = quote.Report;
            var version = report.TeeTcbSvn[1];
            var identity = version == 0
                ? tcbInfo.Module
                : tcbInfo.ModuleIdentities.FirstOrDefault(m => string.Equals(m.Id, $"TDX_{version:X2}", StringComparison.OrdinalIgnoreCase));
            if (identity is null)
            {
                return version == 0 && tcbInfo.ModuleIdentities.Count == 0 ? null : $"TCB info has no identity for TDX module TDX_{version:X2}";
            }
            if (!report.MrSignerSeam.AsSpan().SequenceEqual(identity.MrSigner))
            {
                return $"MRSIGNERSEAM does not match TDX module {identity.Id}";
            }
            if (!MaskedEqual(report.SeamAttributes, identity.Attributes, identity.AttributesMask))
            {
                return $"SEAM attributes do not match TDX module {identity.Id}";
            }
            if (version == 0)
            {
                return null;
            }
            foreach (var (svn, levelStatus) in identity.Levels)
            {
                if (report.TeeTcbSvn[0] >= svn)
                {
                    moduleStatus = levelStatus;
                    return levelStatus == TcbStatus.Revoked ? $"TDX module {identity.Id} SVN {report.TeeTcbSvn[0]} is revoked" : null;
                }
            }
            return $"TDX module {identity.Id} SVN {report.TeeTcbSvn[0]} is below every module TCB level";
        }, "TDX module matches its identity");

        if (platformStatus is null)
        {
            return null;
        }
        return Converge(Converge(platformStatus.Value, qeStatus), moduleStatus);
    }

    /// <summary>Intel's convergence: an out-of-date QE or TDX module makes the platform status out of date, keeping "configuration needed".</summary>
    private static TcbStatus Converge(TcbStatus platform, TcbStatus? other) => other switch
    {
        TcbStatus.Revoked => TcbStatus.Revoked,
        TcbStatus.OutOfDate or TcbStatus.OutOfDateConfigurationNeeded => platform switch
        {
            TcbStatus.UpToDate or TcbStatus.SWHardeningNeeded => TcbStatus.OutOfDate,
            TcbStatus.ConfigurationNeeded or TcbStatus.ConfigurationAndSWHardeningNeeded => TcbStatus.OutOfDateConfigurationNeeded,
            _ => platform,
        },
        _ => platform,
    };

    private string? VerifyIssuerChain(X509Certificate2[] chain, CertificateRevocationList? rootCrl, DateTimeOffset at, string what)
    {
        var error = CertificateChain.Verify(chain, Anchors, at, out var simulatedRoot);
        if (error is not null)
        {
            return $"{what}: {error}";
        }
        if (simulatedRoot)
        {
            return $"{what}: Intel collateral must chain to Intel's root, not a simulated one";
        }
        if (rootCrl is null)
        {
            return $"{what}: needs a valid root CA CRL to check revocation";
        }
        for (var i = 0; i < chain.Length - 1; i++)
        {
            if (rootCrl.IsRevoked(chain[i]))
            {
                return $"{what}: '{chain[i].Subject}' is revoked by the root CA CRL";
            }
        }
        return null;
    }

    private string? VerifySignedJson(string issuerChain, byte[] json, byte[] signature, CertificateRevocationList? rootCrl, DateTimeOffset at, string what)
    {
        var chain = CertificateChain.ParsePem(issuerChain, $"{what} issuer chain");
        var error = VerifyIssuerChain(chain, rootCrl, at, $"{what} issuer chain");
        if (error is not null)
        {
            return error;
        }
        using var key = chain[0].GetECDsaPublicKey() ?? throw new CryptographicException($"{what} signing certificate has no EC key");
        return EcdsaP256.VerifyRaw(key, json, signature) ? null : $"{what} signature does not verify with its signing certificate";
    }

    private static string? Window(DateTimeOffset from, DateTimeOffset? until, DateTimeOffset at, string what)
    {
        if (at < from)
        {
            return $"{what} is not valid yet at {at:O} (issued {from:O})";
        }
        if (until is { } next && at > next)
        {
            return $"{what} expired at {next:O} (checked at {at:O})";
        }
        return null;
    }

    /// <summary>Intel's isTdxTcbHigherOrEqual: with a TDX module major version (byte 1) above 0, bytes 0 and 1 are the module's, judged by its identity.</summary>
    private static bool TdxAtLeast(ReadOnlySpan<byte> teeTcbSvn, ReadOnlySpan<byte> required) =>
        teeTcbSvn[1] > 0 ? AtLeast(teeTcbSvn[2..], required[2..]) : AtLeast(teeTcbSvn, required);

    private static string BelowLowest(PckExtension pck, Collateral.TcbInfo tcbInfo)
    {
        if (tcbInfo.Levels.Count == 0)
        {
            return "the TCB info lists no levels";
        }
        var lowest = tcbInfo.Levels[^1];
        for (var i = 0; i < 16; i++)
        {
            if (pck.TcbComponentSvns[i] < lowest.SgxComponents[i])
            {
                return $"component {i + 1} is {pck.TcbComponentSvns[i]}, the lowest level needs {lowest.SgxComponents[i]}";
            }
        }
        return pck.PceSvn < lowest.PceSvn ? $"PCESVN {pck.PceSvn} < {lowest.PceSvn}" : "no single level is met by every component";
    }

    private static bool AtLeast(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> required)
    {
        for (var i = 0; i < required.Length; i++)
        {
            if (actual[i] < required[i])
            {
                return false;
            }
        }
        return true;
    }

    private static bool MaskedEqual(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> mask)
    {
        if (actual.Length < mask.Length || expected.Length < mask.Length)
        {
            return false;
        }
        for (var i = 0; i < mask.Length; i++)
        {
            if ((actual[i] & mask[i]) != (expected[i] & mask[i]))
            {
                return false;
            }
        }
        return true;
    }
}
