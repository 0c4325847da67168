using System.Net;
using System.Net.Sockets;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;
using Microsoft.Extensions.Time.Testing;

namespace Cocoon.Confidential.Tests.Attestation;

/// <summary>
/// The PCS fetcher over real HTTP: a local server (HttpListener) serves the google-* PCS responses with their issuer
/// chains in the PCS headers, as Intel PCS or a PCCS would. No internet is needed.
/// </summary>
public sealed class PcsHttpServerTests : IAsyncDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("cocoon-pcs-http-").FullName;
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly List<string> _requests = [];
    private readonly string _baseUrl;

    public PcsHttpServerTests()
    {
        var port = FreePort();
        _baseUrl = $"http://127.0.0.1:{port}/pccs/";
        _listener.Prefixes.Add(_baseUrl);
        _listener.Start();
        _serving = Task.Run(Serve);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try { await _serving; } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public async Task Collateral_fetched_over_http_verifies_and_is_served_from_the_disk_cache_afterwards()
    {
        var time = new FakeTimeProvider(QuoteVerifierTests.GoogleAt);
        var provider = CollateralSource.Create(null, _baseUrl, null, _cache, time: time)!;
        var quote = TestData.Bytes("tdx", "google-spr-e4.quote");
        var request = AttestationVerifier.CollateralRequestFor(quote, TrustAnchors.IntelOnly)!;

        var collateral = await provider.GetCollateralAsync(request);
        var result = new QuoteVerifier(TrustAnchors.IntelOnly).Verify(quote, collateral, AttestationPolicy.Default, QuoteVerifierTests.GoogleAt);
        foreach (var check in new[] { AttestationCheckNames.RootCrl, AttestationCheckNames.PckCrl, AttestationCheckNames.TcbInfoCollateral, AttestationCheckNames.QeIdentityCollateral })
        {
            Assert.Equal(CheckOutcome.Pass, result.Check(check)!.Outcome);
        }
        Assert.Contains(_requests, r => r.StartsWith("/pccs/tdx/certification/v4/tcb?fmspc=", StringComparison.Ordinal));
        Assert.Contains("/pccs/sgx/certification/v4/rootcacrl", _requests);

        // A second process (a fresh provider on the same cache folder) needs no HTTP at all; a synchronous caller gets it at once.
        var served = _requests.Count;
        var again = new LocalCollateral(CollateralSource.Create(null, _baseUrl, null, _cache, time: time)!, time).TryGet(request, out var reason);
        Assert.Null(reason);
        Assert.Equal(collateral.TcbInfoJson, again!.TcbInfoJson);
        Assert.Equal(served, _requests.Count);
    }

    [Fact]
    public async Task Server_errors_without_a_cache_are_a_typed_error()
    {
        var provider = CollateralSource.Create(null, _baseUrl + "missing/", null, null, time: new FakeTimeProvider(QuoteVerifierTests.GoogleAt))!;
        await Assert.ThrowsAsync<CollateralUnavailableException>(async () =>
            await provider.GetCollateralAsync(new CollateralRequest([0x50, 0x80, 0x6f, 0, 0, 0], "platform")));
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            var path = context.Request.Url!.AbsolutePath;
            lock (_requests)
            {
                _requests.Add(context.Request.Url.PathAndQuery);
            }
            (string? body, string? chain, string? header) = path switch
            {
                "/pccs/tdx/certification/v4/tcb" => ("google-sample_tcbInfo_response", "google-tcbinfo-issuer-chain.pem", PcsCollateralProvider.TcbInfoIssuerChainHeader),
                "/pccs/tdx/certification/v4/qe/identity" => ("google-sample_qeIdentity_response", "google-qeidentity-issuer-chain.pem", PcsCollateralProvider.QeIdentityIssuerChainHeader),
                "/pccs/sgx/certification/v4/pckcrl" => ("google-pckcrl", "google-pckcrl-issuer-chain.pem", PcsCollateralProvider.PckCrlIssuerChainHeader),
                "/pccs/sgx/certification/v4/rootcacrl" => ("google-rootcrl.der", null, null),
                _ => (null, null, null),
            };
            using var response = context.Response;
            if (body is null)
            {
                response.StatusCode = 404;
                continue;
            }
            if (chain is not null)
            {
                // PCS sends the issuer chain URL-encoded in a header.
                response.Headers.Add(header!, Uri.EscapeDataString(File.ReadAllText(TestData.Tdx(chain))));
            }
            var bytes = TestData.Bytes("tdx", body);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
