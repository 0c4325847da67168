using Cocoon.Confidential.Attestation;

namespace Cocoon.Confidential.Tests.Attestation;

/// <summary>Random mutations and truncations of real quotes: the parser and verifier answer with a typed error, never crash.</summary>
public sealed class QuoteParserFuzzTests
{
    [Theory]
    [InlineData("phala.quote", 1)]
    [InlineData("phala-outdated.quote", 2)]
    [InlineData("google-spr-e4.quote", 3)]
    public void Mutated_and_truncated_quotes_never_crash_the_parser(string file, int seed)
    {
        var original = TestData.Bytes("tdx", file);
        var random = new Random(seed);
        var parsed = 0;
        for (var i = 0; i < 2000; i++)
        {
            var data = original.ToArray();
            switch (random.Next(4))
            {
                case 0:
                    data = data[..random.Next(data.Length)];
                    break;
                case 1:
                    for (var k = random.Next(1, 8); k > 0; k--)
                    {
                        data[random.Next(data.Length)] = (byte)random.Next(256);
                    }
                    break;
                case 2:
                    // Lengths are the interesting bytes: hit the length fields' neighbourhood.
                    var at = random.Next(2) == 0 ? 48 + 584 + random.Next(4) : 48 + 584 + 4 + 128 + random.Next(6);
                    data[Math.Min(at, data.Length - 1)] = (byte)random.Next(256);
                    break;
                default:
                    data = [.. data[..random.Next(data.Length)], .. RandomBytes(random, random.Next(64))];
                    break;
            }
            if (TdxQuote.TryParse(data, out var quote, out var error))
            {
                parsed++;
                Assert.NotNull(quote);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
        Assert.InRange(parsed, 1, 2000);
    }

    [Fact]
    public void Mutated_quotes_never_crash_the_verifier()
    {
        var original = TestData.Bytes("tdx", "phala.quote");
        var collateral = QuoteVerifierTests.Phala();
        var verifier = new QuoteVerifier(TrustAnchors.IntelOnly);
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var data = original.ToArray();
            data[random.Next(48 + 584, data.Length)] = (byte)random.Next(256);
            var result = verifier.Verify(data, collateral, AttestationPolicy.Default, QuoteVerifierTests.PhalaAt);
            Assert.NotEmpty(result.Checks);
        }
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
