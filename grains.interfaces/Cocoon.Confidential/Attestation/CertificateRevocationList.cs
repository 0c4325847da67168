using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Cocoon.Confidential.Attestation;

/// <summary>An X.509 CRL (DER, PEM or hex text, as PCS and PCCS serve it), parsed by hand so its signature can be checked with a given key.</summary>
public sealed class CertificateRevocationList
{
    private readonly HashSet<BigInteger> _revoked;

    private CertificateRevocationList(byte[] der, X500DistinguishedName issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, HashSet<BigInteger> revoked)
    {
        Der = der;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _revoked = revoked;
    }

    public byte[] Der { get; }
    public X500DistinguishedName Issuer { get; }
    public DateTimeOffset ThisUpdate { get; }
    public DateTimeOffset? NextUpdate { get; }
    public int RevokedCount => _revoked.Count;

    public bool IsRevoked(X509Certificate2 certificate) =>
        _revoked.Contains(new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true));

    public bool IsSignedBy(X509Certificate2 issuer)
    {
        using var key = issuer.GetECDsaPublicKey();
        return key is not null && CertificateChain.IsSignedBy(Der, key);
    }

    /// <summary>Accepts DER, PEM ("X509 CRL") or hex text; anything else is a <see cref="CryptographicException"/>.</summary>
    public static CertificateRevocationList Parse(ReadOnlySpan<byte> data, string what)
    {
        var der = Decode(data, what);
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var tbs = outer.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                tbs.ReadInteger();
            }
            tbs.ReadSequence();
            var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
            var thisUpdate = ReadTime(tbs);
            DateTimeOffset? nextUpdate = null;
            if (tbs.HasData && IsTime(tbs.PeekTag()))
            {
                nextUpdate = ReadTime(tbs);
            }
            var revoked = new HashSet<BigInteger>();
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var entries = tbs.ReadSequence();
                while (entries.HasData)
                {
                    var entry = entries.ReadSequence();
                    revoked.Add(entry.ReadInteger());
                }
            }
            return new CertificateRevocationList(der, issuer, thisUpdate, nextUpdate, revoked);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException($"{what}: malformed CRL ({e.Message})");
        }
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    private static byte[] Decode(ReadOnlySpan<byte> data, string what)
    {
        if (data.Length > 0 && data[0] == 0x30)
        {
            return data.ToArray();
        }
        var text = Encoding.ASCII.GetString(data).Trim();
        if (PemEncoding.TryFind(text, out var fields))
        {
            return Convert.FromBase64String(text[fields.Base64Data]);
        }
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new CryptographicException($"{what}: neither DER, PEM nor hex");
        }
    }
}
