using System.Buffers.Binary;
using System.Globalization;

namespace Cocoon.Ton.Addresses;

/// <summary>
/// A standard internal address (<c>addr_std</c>): a workchain and the 256-bit account id (the hash of the
/// account's initial state). Written raw as <c>wc:hex</c> or user-friendly as 48 base64 characters with flags
/// and a CRC16-XMODEM checksum.
/// </summary>
public sealed class TonAddress : IEquatable<TonAddress>
{
    private const byte BounceableTag = 0x11;
    private const byte NonBounceableTag = 0x51;
    private const byte TestOnlyFlag = 0x80;

    private readonly byte[] _hash;

    public TonAddress(int workchain, ReadOnlySpan<byte> hash)
    {
        if (workchain is < sbyte.MinValue or > sbyte.MaxValue)
        {
            throw new AddressFormatException($"A standard address has an 8-bit workchain, got {workchain}.");
        }

        if (hash.Length != 32)
        {
            throw new AddressFormatException($"An account id has 32 bytes, got {hash.Length}.");
        }

        Workchain = workchain;
        _hash = hash.ToArray();
    }

    public int Workchain { get; }

    /// <summary>The 32-byte account id.</summary>
    public ReadOnlyMemory<byte> Hash => _hash;

    /// <summary>Parses a raw (<c>wc:hex</c>) or user-friendly address (either base64 alphabet, any flags).</summary>
    public static TonAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains(':') ? ParseRaw(text) : ParseFriendly(text).Address;
    }

    public static bool TryParse(string? text, out TonAddress? address)
    {
        try
        {
            address = text is null ? null : Parse(text);
            return address is not null;
        }
        catch (AddressFormatException)
        {
            address = null;
            return false;
        }
    }

    public static TonAddress ParseRaw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        if (parts.Length != 2)
        {
            throw new AddressFormatException($"A raw address is 'workchain:hex', got '{text}'.");
        }

        if (!int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var workchain)
            || workchain is < sbyte.MinValue or > sbyte.MaxValue)
        {
            throw new AddressFormatException($"The workchain of a raw address is an integer in -128..127, got '{parts[0]}'.");
        }

        if (parts[1].Length != 64 || !parts[1].All(Uri.IsHexDigit))
        {
            throw new AddressFormatException($"The account id of a raw address is 64 hex digits, got '{parts[1]}'.");
        }

        return new TonAddress(workchain, Convert.FromHexString(parts[1]));
    }

    public static FriendlyAddress ParseFriendly(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length != 48)
        {
            throw new AddressFormatException($"A user-friendly address has 48 characters, got {trimmed.Length}.");
        }

        var urlSafe = trimmed.AsSpan().IndexOfAny('-', '_') >= 0;
        var standard = trimmed.AsSpan().IndexOfAny('+', '/') >= 0;
        if (urlSafe && standard)
        {
            throw new AddressFormatException("A user-friendly address mixes the standard and url-safe base64 alphabets.");
        }

        Span<byte> bytes = stackalloc byte[36];
        var base64 = urlSafe ? trimmed.Replace('-', '+').Replace('_', '/') : trimmed;
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 36)
        {
            throw new AddressFormatException($"A user-friendly address is 36 bytes of base64, got '{text}'.");
        }

        var expected = Crc16.XModem(bytes[..34]);
        var actual = BinaryPrimitives.ReadUInt16BigEndian(bytes[34..]);
        if (expected != actual)
        {
            throw new AddressFormatException($"Checksum mismatch in address '{text}': it is mistyped or corrupted.");
        }

        var tag = bytes[0];
        var testOnly = (tag & TestOnlyFlag) != 0;
        var bounceable = (tag & ~TestOnlyFlag) switch
        {
            BounceableTag => true,
            NonBounceableTag => false,
            _ => throw new AddressFormatException($"Unknown user-friendly address tag 0x{tag:x2}."),
        };

        return new FriendlyAddress(new TonAddress((sbyte)bytes[1], bytes[2..34]), bounceable, testOnly, !standard);
    }

    public string ToRaw() => $"{Workchain}:{Convert.ToHexStringLower(_hash)}";

    /// <summary>The 48-character form; bounceable for contracts, non-bounceable for plain wallets that may not be deployed yet.</summary>
    public string ToFriendly(bool bounceable = true, bool testOnly = false, bool urlSafe = true)
    {
        Span<byte> bytes = stackalloc byte[36];
        bytes[0] = (byte)((bounceable ? BounceableTag : NonBounceableTag) | (testOnly ? TestOnlyFlag : 0));
        bytes[1] = (byte)(sbyte)Workchain;
        _hash.CopyTo(bytes[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[34..], Crc16.XModem(bytes[..34]));
        var text = Convert.ToBase64String(bytes);
        return urlSafe ? text.Replace('+', '-').Replace('/', '_') : text;
    }

    public bool Equals(TonAddress? other) =>
        other is not null && Workchain == other.Workchain && _hash.AsSpan().SequenceEqual(other._hash);

    public override bool Equals(object? obj) => obj is TonAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Workchain, BinaryPrimitives.ReadInt32LittleEndian(_hash));

    public override string ToString() => ToRaw();

    public static bool operator ==(TonAddress? left, TonAddress? right) => Equals(left, right);

    public static bool operator !=(TonAddress? left, TonAddress? right) => !Equals(left, right);
}
