using Cocoon.Ton.Cells;

namespace Cocoon.Ton.Transactions;

/// <summary><c>tr_phase_storage$_ storage_fees_collected:Grams storage_fees_due:(Maybe Grams) status_change:AccStatusChange</c>.</summary>
public sealed record StoragePhase(UInt128 FeesCollected, UInt128? FeesDue, AccountStatusChange StatusChange)
{
    internal static StoragePhase Load(CellSlice slice) =>
        new(slice.LoadCoins(), slice.LoadBit() ? slice.LoadCoins() : null, TransactionReader.LoadStatusChange(slice));
}

/// <summary><c>tr_phase_credit$_ due_fees_collected:(Maybe Grams) credit:CurrencyCollection</c>.</summary>
public sealed record CreditPhase(UInt128? DueFeesCollected, CurrencyCollection Credit)
{
    internal static CreditPhase Load(CellSlice slice) =>
        new(slice.LoadBit() ? slice.LoadCoins() : null, CurrencyCollection.Load(slice));
}

/// <summary>Why the compute phase did not run (<c>ComputeSkipReason</c>).</summary>
public enum ComputeSkipReason
{
    NoState,
    BadState,
    NoGas,
    Suspended,
}

/// <summary>
/// <c>TrComputePhase</c>: skipped (with a reason) or run in the VM. For a VM run, <see cref="Success"/> and
/// <see cref="ExitCode"/> (0 or 1 is success) say whether the contract accepted the message.
/// </summary>
public sealed record ComputePhase(
    bool Skipped,
    ComputeSkipReason? SkipReason,
    bool Success,
    bool MessageStateUsed,
    bool AccountActivated,
    UInt128 GasFees,
    ulong GasUsed,
    ulong GasLimit,
    ulong? GasCredit,
    int Mode,
    int ExitCode,
    int? ExitArg,
    uint VmSteps,
    byte[] VmInitStateHash,
    byte[] VmFinalStateHash)
{
    internal static ComputePhase Load(CellSlice slice)
    {
        if (!slice.LoadBit())
        {
            var reason = slice.LoadUInt(2) switch
            {
                0 => ComputeSkipReason.NoState,
                1 => ComputeSkipReason.BadState,
                2 => ComputeSkipReason.NoGas,
                _ => slice.LoadBit()
                    ? throw new TonFormatException("Unknown compute skip reason 111.")
                    : ComputeSkipReason.Suspended,
            };
            return new ComputePhase(true, reason, false, false, false, 0, 0, 0, null, 0, 0, null, 0, [], []);
        }

        var success = slice.LoadBit();
        var messageStateUsed = slice.LoadBit();
        var accountActivated = slice.LoadBit();
        var gasFees = slice.LoadCoins();
        var details = slice.LoadRef().BeginParse();
        var phase = new ComputePhase(
            Skipped: false,
            SkipReason: null,
            Success: success,
            MessageStateUsed: messageStateUsed,
            AccountActivated: accountActivated,
            GasFees: gasFees,
            GasUsed: (ulong)details.LoadVarUIntBig(3),
            GasLimit: (ulong)details.LoadVarUIntBig(3),
            GasCredit: details.LoadBit() ? (ulong)details.LoadVarUIntBig(2) : null,
            Mode: (int)details.LoadInt(8),
            ExitCode: (int)details.LoadInt(32),
            ExitArg: details.LoadBit() ? (int)details.LoadInt(32) : null,
            VmSteps: (uint)details.LoadUInt(32),
            VmInitStateHash: details.LoadBytes(32),
            VmFinalStateHash: details.LoadBytes(32));
        details.EndParse();
        return phase;
    }
}

/// <summary><c>tr_phase_action$_</c>: whether the contract's actions (outgoing messages, reserves) were carried out.</summary>
public sealed record ActionPhase(
    bool Success,
    bool Valid,
    bool NoFunds,
    AccountStatusChange StatusChange,
    UInt128? TotalForwardFees,
    UInt128? TotalActionFees,
    int ResultCode,
    int? ResultArg,
    int TotalActions,
    int SpecialActions,
    int SkippedActions,
    int MessagesCreated,
    byte[] ActionListHash,
    ulong MessageCells,
    ulong MessageBits)
{
    internal static ActionPhase Load(CellSlice slice)
    {
        var phase = new ActionPhase(
            Success: slice.LoadBit(),
            Valid: slice.LoadBit(),
            NoFunds: slice.LoadBit(),
            StatusChange: TransactionReader.LoadStatusChange(slice),
            TotalForwardFees: slice.LoadBit() ? slice.LoadCoins() : null,
            TotalActionFees: slice.LoadBit() ? slice.LoadCoins() : null,
            ResultCode: (int)slice.LoadInt(32),
            ResultArg: slice.LoadBit() ? (int)slice.LoadInt(32) : null,
            TotalActions: (int)slice.LoadUInt(16),
            SpecialActions: (int)slice.LoadUInt(16),
            SkippedActions: (int)slice.LoadUInt(16),
            MessagesCreated: (int)slice.LoadUInt(16),
            ActionListHash: slice.LoadBytes(32),
            MessageCells: (ulong)slice.LoadVarUIntBig(3),
            MessageBits: (ulong)slice.LoadVarUIntBig(3));
        slice.EndParse();
        return phase;
    }
}

public enum BouncePhaseKind
{
    NegativeFunds,
    NoFunds,
    Ok,
}

/// <summary><c>TrBouncePhase</c>: a bounce message was due; <see cref="BouncePhaseKind.Ok"/> means it was sent back.</summary>
public sealed record BouncePhase(
    BouncePhaseKind Kind,
    ulong MessageCells,
    ulong MessageBits,
    UInt128 RequiredForwardFees,
    UInt128 MessageFees,
    UInt128 ForwardFees)
{
    internal static BouncePhase Load(CellSlice slice)
    {
        if (slice.LoadBit())
        {
            var cells = (ulong)slice.LoadVarUIntBig(3);
            var bits = (ulong)slice.LoadVarUIntBig(3);
            return new BouncePhase(BouncePhaseKind.Ok, cells, bits, 0, slice.LoadCoins(), slice.LoadCoins());
        }

        if (!slice.LoadBit())
        {
            return new BouncePhase(BouncePhaseKind.NegativeFunds, 0, 0, 0, 0, 0);
        }

        var noFundsCells = (ulong)slice.LoadVarUIntBig(3);
        var noFundsBits = (ulong)slice.LoadVarUIntBig(3);
        return new BouncePhase(BouncePhaseKind.NoFunds, noFundsCells, noFundsBits, slice.LoadCoins(), 0, 0);
    }
}
