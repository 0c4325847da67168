using System.Security.Cryptography;
using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Collateral;

/// <summary>Where the PCS fetcher asks, and where it keeps what it got.</summary>
public sealed record PcsOptions
{
    /// <summary>Intel PCS, or a PCCS (same API paths).</summary>
    public Uri BaseUri { get; init; } = new("https://api.trustedservices.intel.com/");
    /// <summary>The Intel SGX Root CA CRL; PCCS serves it at sgx/certification/v4/rootcacrl.</summary>
    public Uri RootCrlUri { get; init; } = new("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
    /// <summary>Cache folder; null: no cache.</summary>
    public string? CacheDirectory { get; init; }
}

/// <summary>
/// Fetches TDX collateral from Intel PCS / PCCS (API v4) and caches it per FMSPC and PCK CA in the folder shape
/// <see cref="CollateralLoader.FromFolder"/> reads. The cache need not be trusted: everything in it is signed by keys
/// chaining to the pinned root, and the verifier checks that. Served from cache while every part is inside its window.
/// </summary>
public sealed class PcsCollateralProvider(HttpClient http, PcsOptions options, TimeProvider? time = null) : ICollateralProvider
{
    public const string TcbInfoIssuerChainHeader = "TCB-Info-Issuer-Chain";
    public const string QeIdentityIssuerChainHeader = "SGX-Enclave-Identity-Issuer-Chain";
    public const string PckCrlIssuerChainHeader = "SGX-PCK-CRL-Issuer-Chain";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async ValueTask<QuoteCollateral> GetCollateralAsync(CollateralRequest request, CancellationToken cancellationToken = default)
    {
        var fmspc = Convert.ToHexStringLower(request.Fmspc);
        if (request.PckCa is not ("platform" or "processor"))
        {
            throw new CollateralUnavailableException($"unknown PCK CA '{request.PckCa}'");
        }
        var folder = options.CacheDirectory is null ? null : Path.Combine(options.CacheDirectory, $"{fmspc}-{request.PckCa}");
        var cached = folder is null ? null : TryLoad(folder);
        if (cached is not null && IsCurrent(cached))
        {
            return cached;
        }
        try
        {
            var (tcbInfo, tcbChain) = await GetAsync($"tdx/certification/v4/tcb?fmspc={fmspc}", TcbInfoIssuerChainHeader, cancellationToken).ConfigureAwait(false);
            var (qeIdentity, qeChain) = await GetAsync("tdx/certification/v4/qe/identity", QeIdentityIssuerChainHeader, cancellationToken).ConfigureAwait(false);
            var (pckCrl, crlChain) = await GetAsync($"sgx/certification/v4/pckcrl?ca={request.PckCa}&encoding=der", PckCrlIssuerChainHeader, cancellationToken).ConfigureAwait(false);
            var rootCrl = await GetBytesAsync(options.RootCrlUri, cancellationToken).ConfigureAwait(false);
            var collateral = CollateralLoader.FromPcsResponses(tcbInfo, tcbChain!, qeIdentity, qeChain!, pckCrl, crlChain!, rootCrl);
            if (folder is not null)
            {
                Save(folder, tcbInfo, tcbChain!, qeIdentity, qeChain!, pckCrl, crlChain!, rootCrl);
            }
            return collateral;
        }
        catch (Exception e) when (e is HttpRequestException or CollateralFormatException or TaskCanceledException or IOException)
        {
            if (e is TaskCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            // A stale cache is still better than nothing: the verifier reports its expired window precisely.
            return cached ?? throw new CollateralUnavailableException($"collateral for FMSPC {fmspc} is unavailable: {e.Message}", e);
        }
    }

    private async Task<(byte[] Body, string? Chain)> GetAsync(string path, string chainHeader, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(options.BaseUri, path), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"PCS {path}: HTTP {(int)response.StatusCode}");
        }
        if (!response.Headers.TryGetValues(chainHeader, out var values))
        {
            throw new CollateralFormatException($"PCS {path}: no {chainHeader} header");
        }
        var chain = Uri.UnescapeDataString(string.Concat(values));
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), chain);
    }

    private async Task<byte[]> GetBytesAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{uri}: HTTP {(int)response.StatusCode}");
        }
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    private bool IsCurrent(QuoteCollateral c)
    {
        var now = _time.GetUtcNow();
        try
        {
            return TcbInfo.Parse(c.TcbInfoJson).NextUpdate > now
                && QeIdentity.Parse(c.QeIdentityJson).NextUpdate > now
                && CertificateRevocationList.Parse(c.PckCrl, "PCK CRL").NextUpdate > now
                && CertificateRevocationList.Parse(c.RootCaCrl, "root CRL").NextUpdate > now;
        }
        catch (Exception e) when (e is CollateralFormatException or CryptographicException)
        {
            return false;
        }
    }

    private static QuoteCollateral? TryLoad(string folder)
    {
        try
        {
            return Directory.Exists(folder) ? CollateralLoader.FromFolder(folder) : null;
        }
        catch (Exception e) when (e is CollateralFormatException or IOException)
        {
            return null;
        }
    }

    private static void Save(string folder, byte[] tcbInfo, string tcbChain, byte[] qeIdentity, string qeChain, byte[] pckCrl, string crlChain, byte[] rootCrl)
    {
        Directory.CreateDirectory(folder);
        // Write beside, then move: a reader never sees half a file.
        void Write(string name, byte[] bytes)
        {
            var path = Path.Combine(folder, name);
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        Write("tcbinfo.json", tcbInfo);
        Write("tcbinfo-issuer-chain.pem", System.Text.Encoding.UTF8.GetBytes(tcbChain));
        Write("qeidentity.json", qeIdentity);
        Write("qeidentity-issuer-chain.pem", System.Text.Encoding.UTF8.GetBytes(qeChain));
        Write("pckcrl.der", pckCrl);
        Write("pckcrl-issuer-chain.pem", System.Text.Encoding.UTF8.GetBytes(crlChain));
        Write("rootcrl.der", rootCrl);
    }
}
