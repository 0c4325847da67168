using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Messages;

/// <summary>Text comments: a message body of a zero 32-bit opcode followed by UTF-8 snake data.</summary>
public static class TextComment
{
    public const uint Opcode = 0;

    public static Cell Build(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CellBuilder().StoreUInt(Opcode, 32).StoreStringTail(text).Build();
    }

    /// <summary>Reads the comment of a body that is one; false for empty bodies, other opcodes and undecodable text.</summary>
    public static bool TryRead(Cell? body, out string text)
    {
        text = "";
        if (body is null || body.IsExotic || body.BitLength < 32)
        {
            return false;
        }

        var slice = body.BeginParse();
        if (slice.LoadUInt(32) != Opcode)
        {
            return false;
        }

        try
        {
            text = slice.LoadStringTail();
            return true;
        }
        catch (TonFormatException)
        {
            return false;
        }
    }
}
