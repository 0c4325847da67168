using System.Numerics;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Transactions;

/// <summary>
/// A transaction (TL-B <c>transaction$0111</c>) read from its cell or BOC: the account, logical time, link to the
/// previous transaction, the incoming message, the outgoing messages (HashmapE 15, in index order), fees,
/// state hashes and the phases. <see cref="Hash"/> is the transaction cell's hash, the id that toncenter reports.
/// </summary>
public sealed record Transaction(
    TonAddress Account,
    ulong Lt,
    byte[] PreviousTransactionHash,
    ulong PreviousTransactionLt,
    uint Now,
    int OutMessageCount,
    AccountStatus OriginalStatus,
    AccountStatus EndStatus,
    Message? InMessage,
    IReadOnlyList<Message> OutMessages,
    CurrencyCollection TotalFees,
    byte[] OldStateHash,
    byte[] NewStateHash,
    TransactionDescription Description,
    Cell Cell)
{
    public string Hash => Cell.HashHex;

    /// <summary>
    /// Parses a transaction cell. The cell does not record the account's workchain, so the caller names it
    /// (0, the basechain, for every wallet here).
    /// </summary>
    public static Transaction Load(Cell cell, int workchain = 0)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var slice = cell.BeginParse();
        if (slice.LoadUInt(4) != 0b0111)
        {
            throw new TonFormatException("Not a transaction: the tag is not transaction$0111.");
        }

        var account = new TonAddress(workchain, slice.LoadBytes(32));
        var lt = slice.LoadUInt(64);
        var previousHash = slice.LoadBytes(32);
        var previousLt = slice.LoadUInt(64);
        var now = (uint)slice.LoadUInt(32);
        var outCount = (int)slice.LoadUInt(15);
        var originalStatus = TransactionReader.LoadAccountStatus(slice);
        var endStatus = TransactionReader.LoadAccountStatus(slice);

        var messages = slice.LoadRef().BeginParse();
        var inMessage = messages.LoadMaybeRef() is { } inCell ? Message.Load(inCell) : null;
        var outEntries = HashmapE.Parse(messages.LoadDict(), 15, value => Message.Load(value.LoadRef()));
        messages.EndParse();
        for (var i = 0; i < outEntries.Count; i++)
        {
            if (outEntries[i].Key != new BigInteger(i))
            {
                throw new TonFormatException($"Outgoing message keys are not 0..n-1: key {outEntries[i].Key} at position {i}.");
            }
        }

        if (outEntries.Count != outCount)
        {
            throw new TonFormatException($"The transaction declares {outCount} outgoing messages but holds {outEntries.Count}.");
        }

        var totalFees = CurrencyCollection.Load(slice);

        var update = slice.LoadRef().BeginParse();
        if (update.LoadUInt(8) != 0x72)
        {
            throw new TonFormatException("The state update is not update_hashes#72.");
        }

        var oldHash = update.LoadBytes(32);
        var newHash = update.LoadBytes(32);
        update.EndParse();

        var description = TransactionDescription.Load(slice.LoadRef().BeginParse());
        slice.EndParse();

        return new Transaction(account, lt, previousHash, previousLt, now, outCount, originalStatus, endStatus, inMessage,
            [.. outEntries.Select(e => e.Value)], totalFees, oldHash, newHash, description, cell);
    }

    public static Transaction FromBoc(ReadOnlySpan<byte> boc, int workchain = 0) => Load(Boc.DeserializeSingle(boc), workchain);

    /// <summary>Parses a transaction BOC written as hex or base64 (as toncenter returns it).</summary>
    public static Transaction FromBoc(string text, int workchain = 0) => Load(Cell.FromBoc(text), workchain);
}
