using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Cocoon.Confidential.RaTls;

/// <summary>
/// What an RA-TLS certificate carries: the quote, when it was produced, and the certificate key it vouches for. The
/// quote's REPORTDATA is <see cref="ReportDataFor"/>, so the quote cannot be moved to a certificate with another key.
/// </summary>
public sealed record RaTlsEvidence(byte[] Quote, DateTimeOffset IssuedAt, byte[] SubjectPublicKeyInfo)
{
    public const int BindingVersion = 1;
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("cocoon/ra-tls/v1");

    /// <summary>REPORTDATA = SHA-512("cocoon/ra-tls/v1" ‖ u64 big-endian issued-at in unix milliseconds ‖ SubjectPublicKeyInfo DER).</summary>
    public static byte[] ReportDataFor(ReadOnlySpan<byte> subjectPublicKeyInfo, DateTimeOffset issuedAt)
    {
        var input = new byte[Label.Length + 8 + subjectPublicKeyInfo.Length];
        Label.CopyTo(input, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(Label.Length), issuedAt.ToUnixTimeMilliseconds());
        subjectPublicKeyInfo.CopyTo(input.AsSpan(Label.Length + 8));
        return SHA512.HashData(input);
    }

    public byte[] ExpectedReportData() => ReportDataFor(SubjectPublicKeyInfo, IssuedAt);

    internal X509Extension[] ToExtensions()
    {
        var quote = new AsnWriter(AsnEncodingRules.DER);
        quote.WriteOctetString(Quote);
        var binding = new AsnWriter(AsnEncodingRules.DER);
        using (binding.PushSequence())
        {
            binding.WriteInteger(BindingVersion);
            binding.WriteGeneralizedTime(IssuedAt, omitFractionalSeconds: false);
            binding.WriteOctetString(SubjectPublicKeyInfo);
        }
        return [new X509Extension(RaTlsOids.Quote, quote.Encode(), critical: false), new X509Extension(RaTlsOids.Binding, binding.Encode(), critical: false)];
    }

    /// <summary>Reads the extensions: null when the certificate carries none (not an RA-TLS certificate).</summary>
    /// <exception cref="RaTlsException">The extensions are present but malformed.</exception>
    public static RaTlsEvidence? FromCertificate(X509Certificate2 certificate)
    {
        var quoteExtension = certificate.Extensions[RaTlsOids.Quote];
        var bindingExtension = certificate.Extensions[RaTlsOids.Binding];
        if (quoteExtension is null && bindingExtension is null)
        {
            return null;
        }
        if (quoteExtension is null || bindingExtension is null)
        {
            throw new RaTlsException("the certificate carries only one of the two RA-TLS extensions");
        }
        try
        {
            var quoteReader = new AsnReader(quoteExtension.RawData, AsnEncodingRules.DER);
            var quote = quoteReader.ReadOctetString();
            quoteReader.ThrowIfNotEmpty();
            var outer = new AsnReader(bindingExtension.RawData, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            if (!sequence.TryReadInt32(out var version) || version != BindingVersion)
            {
                throw new RaTlsException($"RA-TLS binding version is not {BindingVersion}");
            }
            var issuedAt = ReadExactGeneralizedTime(sequence);
            var spki = sequence.ReadOctetString();
            sequence.ThrowIfNotEmpty();
            return new RaTlsEvidence(quote, issuedAt, spki);
        }
        catch (AsnContentException e)
        {
            throw new RaTlsException($"malformed RA-TLS extension: {e.Message}", e);
        }
    }

    /// <summary>
    /// A DER GeneralizedTime to the exact tick. <see cref="AsnReader.ReadGeneralizedTime"/> validates the encoding but
    /// converts the fraction through floating point: "…46.346Z" comes back one tick short of .346, so its whole
    /// milliseconds (which REPORTDATA hashes) would be 345.
    /// </summary>
    private static DateTimeOffset ReadExactGeneralizedTime(AsnReader reader)
    {
        var content = reader.PeekContentBytes().Span;
        reader.ReadGeneralizedTime(); // validates DER: "YYYYMMDDHHMMSS[.f…]Z", no trailing zeros in the fraction
        var time = new DateTimeOffset(Digits(content, 0, 4), Digits(content, 4, 2), Digits(content, 6, 2),
            Digits(content, 8, 2), Digits(content, 10, 2), Digits(content, 12, 2), TimeSpan.Zero);
        var fraction = content.Length > 15 ? content[15..^1] : []; // after "…SS." and before 'Z'
        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = ticks * 10 + (i < fraction.Length ? fraction[i] - '0' : 0);
        }
        return time.AddTicks(ticks);
    }

    private static int Digits(ReadOnlySpan<byte> text, int start, int count)
    {
        var value = 0;
        foreach (var digit in text.Slice(start, count))
        {
            value = value * 10 + (digit - '0');
        }
        return value;
    }
}

/// <summary>An RA-TLS certificate that cannot be read or issued.</summary>
public sealed class RaTlsException(string message, Exception? inner = null) : Exception(message, inner);
