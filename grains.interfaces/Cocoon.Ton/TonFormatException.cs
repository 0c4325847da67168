namespace Cocoon.Ton;

/// <summary>
/// Bad TON data: a malformed BOC, cell, address, mnemonic or TL-B structure. Every parser in this library
/// reports bad input with this type (or a subclass), never with an incidental runtime exception.
/// </summary>
public class TonFormatException : FormatException
{
    public TonFormatException(string message) : base(message) { }

    public TonFormatException(string message, Exception? inner) : base(message, inner) { }
}
