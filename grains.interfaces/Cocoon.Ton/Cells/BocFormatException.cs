namespace Cocoon.Ton.Cells;

/// <summary>A bag of cells that cannot be decoded: bad header, truncated data, broken references or CRC.</summary>
public sealed class BocFormatException : TonFormatException
{
    public BocFormatException(string message) : base($"Invalid BOC: {message}") { }

    public BocFormatException(string message, Exception? inner) : base($"Invalid BOC: {message}", inner) { }
}
