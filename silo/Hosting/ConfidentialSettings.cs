namespace Cocoon.Silo.Hosting;

/// <summary>Attestation settings of the silo (section <c>Cocoon:Confidential</c>; docs/attestation.md).</summary>
public sealed class ConfidentialSettings
{
    /// <summary>A dev CA folder shared by the silos and clients of a dev cluster; unset: <c>$COCOON_DEV_CA</c>, else the data directory's <c>dev-ca</c>.</summary>
    public string? DevCaPath { get; set; }

    /// <summary>Attestation policy file for admitting attested silos; unset: the development policy in dev, the default (Intel, UpToDate) in production.</summary>
    public string? PolicyPath { get; set; }

    /// <summary>Collateral for Intel-rooted quotes from a file or folder (docs/attestation.md, "Collateral").</summary>
    public string? CollateralPath { get; set; }

    /// <summary>Intel PCS or a PCCS base URL to fetch collateral from, cached in <see cref="CollateralCachePath"/>.</summary>
    public string? PcsUrl { get; set; }

    /// <summary>The root CA CRL URL; unset: Intel's, or <c>{PcsUrl}sgx/certification/v4/rootcacrl</c> when PcsUrl is a PCCS.</summary>
    public string? PcsRootCrlUrl { get; set; }

    /// <summary>Where fetched collateral is cached; unset: <c>collateral/</c> in the data directory. Need not be trusted.</summary>
    public string? CollateralCachePath { get; set; }
}
