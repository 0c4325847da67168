namespace Cocoon.Confidential.Collateral;

/// <summary>Builds the collateral provider a configuration names: a local file or folder, or Intel PCS / a PCCS with a disk cache.</summary>
public static class CollateralSource
{
    /// <summary>Intel's public PCS.</summary>
    public static readonly Uri IntelPcs = new("https://api.trustedservices.intel.com/");

    /// <summary>
    /// A provider, or null when neither a path nor a PCS URL is configured. The root CA CRL URL defaults to Intel's for
    /// Intel PCS and to <c>sgx/certification/v4/rootcacrl</c> under a PCCS.
    /// </summary>
    /// <exception cref="CollateralFormatException">The local collateral cannot be read.</exception>
    /// <exception cref="UriFormatException">A URL is not valid.</exception>
    public static ICollateralProvider? Create(string? collateralPath, string? pcsUrl, string? rootCrlUrl, string? cacheDirectory, HttpClient? http = null, TimeProvider? time = null)
    {
        if (!string.IsNullOrWhiteSpace(collateralPath))
        {
            return new StaticCollateralProvider(CollateralLoader.Load(collateralPath));
        }
        if (string.IsNullOrWhiteSpace(pcsUrl))
        {
            return null;
        }
        var baseUri = new Uri(pcsUrl.EndsWith('/') ? pcsUrl : pcsUrl + "/", UriKind.Absolute);
        var rootCrl = !string.IsNullOrWhiteSpace(rootCrlUrl) ? new Uri(rootCrlUrl, UriKind.Absolute)
            : baseUri.Host == IntelPcs.Host ? new PcsOptions().RootCrlUri
            : new Uri(baseUri, "sgx/certification/v4/rootcacrl");
        return new PcsCollateralProvider(http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) },
            new PcsOptions { BaseUri = baseUri, RootCrlUri = rootCrl, CacheDirectory = cacheDirectory }, time);
    }
}
