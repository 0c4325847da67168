namespace Cocoon.Ton.Cells;

/// <summary>A cell builder was asked to hold more than 1023 bits or 4 references, or a value does not fit its width.</summary>
public sealed class CellOverflowException : InvalidOperationException
{
    public CellOverflowException(string message) : base(message) { }
}
