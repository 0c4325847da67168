namespace Cocoon.Ton.Addresses;

/// <summary>An address string that is not a valid raw (<c>wc:hex</c>) or user-friendly TON address.</summary>
public sealed class AddressFormatException : TonFormatException
{
    public AddressFormatException(string message) : base(message) { }

    public AddressFormatException(string message, Exception? inner) : base(message, inner) { }
}
