using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Messages;

/// <summary>
/// The action list a contract hands to the node (<c>OutList</c>): a chain where each cell references the list
/// before it and holds one action. Only <c>action_send_msg#0ec3c86d mode:uint8 out_msg:^MessageRelaxed</c> is built here.
/// </summary>
public static class OutList
{
    public const uint SendMessageTag = 0x0ec3c86d;

    /// <summary>The node executes at most 255 actions per transaction.</summary>
    public const int MaxActions = 255;

    public static Cell Build(IReadOnlyList<(SendMode Mode, Cell Message)> actions)
    {
        if (actions.Count > MaxActions)
        {
            throw new ArgumentOutOfRangeException(nameof(actions), actions.Count, $"An action list holds at most {MaxActions} actions.");
        }

        var list = Cell.Empty;
        foreach (var (mode, message) in actions)
        {
            list = new CellBuilder()
                .StoreRef(list)
                .StoreUInt(SendMessageTag, 32)
                .StoreUInt((byte)mode, 8)
                .StoreRef(message)
                .Build();
        }

        return list;
    }

    public static Cell Build(IEnumerable<InternalMessage> messages, SendMode mode) =>
        Build(messages.Select(m => (mode, m.ToCell())).ToList());
}
