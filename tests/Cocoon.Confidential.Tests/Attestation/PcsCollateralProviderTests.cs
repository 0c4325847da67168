using System.Net;
using Cocoon.Confidential.Attestation;
using Cocoon.Confidential.Collateral;
using Microsoft.Extensions.Time.Testing;

namespace Cocoon.Confidential.Tests.Attestation;

/// <summary>The PCS fetcher against a fake PCS that serves the google-* responses (the real one is not reachable here).</summary>
public sealed class PcsCollateralProviderTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("cocoon-pcs-").FullName;
    private readonly FakeTimeProvider _time = new(QuoteVerifierTests.GoogleAt);

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Fact]
    public async Task Fetches_from_pcs_caches_and_serves_from_cache_while_current()
    {
        var pcs = new FakePcs();
        var provider = new PcsCollateralProvider(new HttpClient(pcs), new PcsOptions { CacheDirectory = _cache }, _time);
        var quote = TestData.Bytes("tdx", "google-spr-e4.quote");
        var request = AttestationVerifier.CollateralRequestFor(quote, TrustAnchors.IntelOnly)!;
        Assert.Equal("platform", request.PckCa);

        var fetched = await provider.GetCollateralAsync(request);
        Assert.Contains(pcs.Paths, p => p.Contains("fmspc=" + Convert.ToHexStringLower(request.Fmspc)));
        var result = new QuoteVerifier(TrustAnchors.IntelOnly).Verify(quote, fetched, AttestationPolicy.Default, QuoteVerifierTests.GoogleAt);
        Assert.Equal(CheckOutcome.Pass, result.Check(AttestationCheckNames.TcbInfoCollateral)!.Outcome);
        Assert.Equal(CheckOutcome.Pass, result.Check(AttestationCheckNames.PckCrl)!.Outcome);

        var calls = pcs.Paths.Count;
        var cached = await provider.GetCollateralAsync(request);
        Assert.Equal(calls, pcs.Paths.Count);
        Assert.Equal(fetched.TcbInfoJson, cached.TcbInfoJson);

        // Expired and PCS down: the stale cache is returned, and the verifier names the expired window.
        _time.Advance(TimeSpan.FromDays(40));
        pcs.Down = true;
        var stale = await provider.GetCollateralAsync(request);
        Assert.Equal(fetched.TcbInfoJson, stale.TcbInfoJson);
    }

    [Fact]
    public async Task Unreachable_pcs_and_no_cache_is_a_typed_error()
    {
        var provider = new PcsCollateralProvider(new HttpClient(new FakePcs { Down = true }), new PcsOptions(), _time);
        await Assert.ThrowsAsync<CollateralUnavailableException>(async () =>
            await provider.GetCollateralAsync(new CollateralRequest([0x50, 0x80, 0x6f, 0, 0, 0], "platform")));
    }

    private sealed class FakePcs : HttpMessageHandler
    {
        public List<string> Paths { get; } = [];
        public bool Down { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            Paths.Add(uri.PathAndQuery);
            if (Down)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
            }
            (string body, string? chain, string? header) = uri.AbsolutePath switch
            {
                "/tdx/certification/v4/tcb" => ("google-sample_tcbInfo_response", "google-tcbinfo-issuer-chain.pem", PcsCollateralProvider.TcbInfoIssuerChainHeader),
                "/tdx/certification/v4/qe/identity" => ("google-sample_qeIdentity_response", "google-qeidentity-issuer-chain.pem", PcsCollateralProvider.QeIdentityIssuerChainHeader),
                "/sgx/certification/v4/pckcrl" => ("google-pckcrl", "google-pckcrl-issuer-chain.pem", PcsCollateralProvider.PckCrlIssuerChainHeader),
                "/IntelSGXRootCA.der" => ("google-rootcrl.der", null, null),
                _ => ("", null, null),
            };
            if (body == "")
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(TestData.Bytes("tdx", body)) };
            if (chain is not null)
            {
                response.Headers.Add(header!, Uri.EscapeDataString(File.ReadAllText(TestData.Tdx(chain))));
            }
            return Task.FromResult(response);
        }
    }
}
