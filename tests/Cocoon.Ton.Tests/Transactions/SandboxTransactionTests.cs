using System.Text.Json;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Transactions;

namespace Cocoon.Ton.Tests.Transactions;

public sealed class SandboxTransactionTests
{
    public static TheoryData<string> Names() => new(SandboxFixture.TransactionNames);

    [Theory]
    [MemberData(nameof(Names))]
    public void Transaction_fields_match_the_reference_parser(string name)
    {
        var expected = SandboxFixture.Transaction(name);
        var tx = Transaction.FromBoc(expected.GetProperty("boc").GetString()!);

        Assert.Equal(expected.GetProperty("hash").GetString(), tx.Hash);
        Assert.Equal(expected.GetProperty("account").GetString(), tx.Account.ToRaw());
        Assert.Equal(ulong.Parse(expected.GetProperty("lt").GetString()!), tx.Lt);
        Assert.Equal(expected.GetProperty("now").GetUInt32(), tx.Now);
        Assert.Equal(ulong.Parse(expected.GetProperty("prevLt").GetString()!), tx.PreviousTransactionLt);
        Assert.Equal(expected.GetProperty("prevHash").GetString(), Convert.ToHexStringLower(tx.PreviousTransactionHash));
        Assert.Equal(expected.GetProperty("outMessagesCount").GetInt32(), tx.OutMessages.Count);
        Assert.Equal(expected.GetProperty("origStatus").GetString(), StatusName(tx.OriginalStatus));
        Assert.Equal(expected.GetProperty("endStatus").GetString(), StatusName(tx.EndStatus));
        Assert.Equal(UInt128.Parse(expected.GetProperty("totalFees").GetString()!), tx.TotalFees.Grams);

        AssertMessage(expected.GetProperty("inMessage"), tx.InMessage);
        var comment = expected.GetProperty("inComment");
        Assert.Equal(comment.ValueKind == JsonValueKind.Null ? null : comment.GetString(), tx.InMessage?.Comment);
        var outMessages = expected.GetProperty("outMessages").EnumerateArray().ToList();
        for (var i = 0; i < outMessages.Count; i++)
        {
            AssertMessage(outMessages[i], tx.OutMessages[i]);
        }

        AssertDescription(expected.GetProperty("description"), tx.Description);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Transaction_boc_round_trips(string name)
    {
        var boc = SandboxFixture.Transaction(name).GetProperty("boc").GetString()!;
        var cell = Cell.FromBoc(boc);

        Assert.Equal(boc, Convert.ToHexStringLower(cell.ToBoc(withCrc32C: true)));
    }

    [Fact]
    public void Deposit_to_an_undeployed_wallet_is_aborted_but_credited()
    {
        var tx = Transaction.FromBoc(SandboxFixture.Transaction("depositToUninit").GetProperty("boc").GetString()!);

        Assert.Equal("deposit:acct-42", tx.InMessage!.Comment);
        Assert.True(tx.Description.Aborted);
        Assert.Equal(ComputeSkipReason.NoState, tx.Description.Compute!.SkipReason);
        var info = Assert.IsType<InternalMessageInfo>(tx.InMessage.Info);
        Assert.Equal(info.Value.Grams, tx.Description.Credit!.Credit.Grams);
    }

    [Fact]
    public void Bounced_message_is_flagged_and_the_bounce_phase_is_reported()
    {
        var atGhost = Transaction.FromBoc(SandboxFixture.Transaction("bounceAtGhost").GetProperty("boc").GetString()!);
        var back = Transaction.FromBoc(SandboxFixture.Transaction("bouncedBackToWallet").GetProperty("boc").GetString()!);

        Assert.Equal(BouncePhaseKind.Ok, atGhost.Description.Bounce!.Kind);
        var bounce = Assert.IsType<InternalMessageInfo>(atGhost.OutMessages.Single().Info);
        Assert.True(bounce.Bounced);
        Assert.True(Assert.IsType<InternalMessageInfo>(back.InMessage!.Info).Bounced);
        Assert.Equal(atGhost.OutMessages[0].Hash, back.InMessage.Hash);
    }

    [Fact]
    public void Failed_compute_phase_reports_the_exit_code()
    {
        var tx = Transaction.FromBoc(SandboxFixture.Transaction("abortedThrow42").GetProperty("boc").GetString()!);

        Assert.True(tx.Description.Aborted);
        Assert.False(tx.Description.Compute!.Success);
        Assert.Equal(42, tx.Description.Compute.ExitCode);
        Assert.Null(tx.Description.Action);
    }

    [Fact]
    public void A_cell_that_is_not_a_transaction_is_rejected()
    {
        Assert.Throws<TonFormatException>(() => Transaction.Load(Cell.Empty));
        Assert.Throws<TonFormatException>(() => Transaction.Load(new CellBuilder().StoreUInt(0b0111, 4).StoreUInt(1, 32).Build()));
    }

    private static void AssertMessage(JsonElement expected, Message? actual)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.GetProperty("bodyHash").GetString(), actual.Body.HashHex);
        switch (expected.GetProperty("type").GetString())
        {
            case "internal":
                var info = Assert.IsType<InternalMessageInfo>(actual.Info);
                Assert.Equal(expected.GetProperty("src").GetString(), info.Source!.ToRaw());
                Assert.Equal(expected.GetProperty("dest").GetString(), info.Destination!.ToRaw());
                Assert.Equal(UInt128.Parse(expected.GetProperty("value").GetString()!), info.Value.Grams);
                Assert.Equal(expected.GetProperty("bounce").GetBoolean(), info.Bounce);
                Assert.Equal(expected.GetProperty("bounced").GetBoolean(), info.Bounced);
                Assert.Equal(ulong.Parse(expected.GetProperty("createdLt").GetString()!), info.CreatedLt);
                Assert.Equal(expected.GetProperty("createdAt").GetUInt32(), info.CreatedAt);
                Assert.Equal(UInt128.Parse(expected.GetProperty("fwdFee").GetString()!), info.ForwardFee);
                break;
            case "external-in":
                var external = Assert.IsType<ExternalInMessageInfo>(actual.Info);
                Assert.Equal(expected.GetProperty("dest").GetString(), external.Destination!.ToRaw());
                break;
            default:
                var outbound = Assert.IsType<ExternalOutMessageInfo>(actual.Info);
                Assert.Equal(expected.GetProperty("src").GetString(), outbound.Source!.ToRaw());
                break;
        }
    }

    private static void AssertDescription(JsonElement expected, TransactionDescription actual)
    {
        Assert.Equal("generic", expected.GetProperty("type").GetString());
        Assert.Equal(TransactionKind.Ordinary, actual.Kind);
        Assert.Equal(expected.GetProperty("aborted").GetBoolean(), actual.Aborted);
        Assert.Equal(expected.GetProperty("destroyed").GetBoolean(), actual.Destroyed);
        Assert.Equal(expected.GetProperty("creditFirst").GetBoolean(), actual.CreditFirst);

        var compute = expected.GetProperty("compute");
        if (compute.GetProperty("type").GetString() == "skipped")
        {
            Assert.True(actual.Compute!.Skipped);
            Assert.Equal(compute.GetProperty("reason").GetString(), actual.Compute.SkipReason switch
            {
                ComputeSkipReason.NoState => "no-state",
                ComputeSkipReason.BadState => "bad-state",
                ComputeSkipReason.NoGas => "no-gas",
                _ => "suspended",
            });
        }
        else
        {
            Assert.False(actual.Compute!.Skipped);
            Assert.Equal(compute.GetProperty("success").GetBoolean(), actual.Compute.Success);
            Assert.Equal(compute.GetProperty("exitCode").GetInt32(), actual.Compute.ExitCode);
            Assert.Equal(ulong.Parse(compute.GetProperty("gasUsed").GetString()!), actual.Compute.GasUsed);
            Assert.Equal(UInt128.Parse(compute.GetProperty("gasFees").GetString()!), actual.Compute.GasFees);
            Assert.Equal(compute.GetProperty("vmSteps").GetUInt32(), actual.Compute.VmSteps);
            Assert.Equal(compute.GetProperty("accountActivated").GetBoolean(), actual.Compute.AccountActivated);
        }

        var action = expected.GetProperty("action");
        if (action.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(actual.Action);
        }
        else
        {
            Assert.Equal(action.GetProperty("success").GetBoolean(), actual.Action!.Success);
            Assert.Equal(action.GetProperty("resultCode").GetInt32(), actual.Action.ResultCode);
            Assert.Equal(action.GetProperty("totalActions").GetInt32(), actual.Action.TotalActions);
            Assert.Equal(action.GetProperty("messagesCreated").GetInt32(), actual.Action.MessagesCreated);
        }

        var bounce = expected.GetProperty("bounce");
        Assert.Equal(bounce.ValueKind != JsonValueKind.Null, actual.Bounce is not null);

        var storage = expected.GetProperty("storageFeesCollected");
        Assert.Equal(storage.ValueKind == JsonValueKind.Null ? null : UInt128.Parse(storage.GetString()!), actual.Storage?.FeesCollected);
        var credit = expected.GetProperty("creditPhase");
        Assert.Equal(credit.ValueKind == JsonValueKind.Null ? null : UInt128.Parse(credit.GetString()!), actual.Credit?.Credit.Grams);
    }

    private static string StatusName(AccountStatus status) => status switch
    {
        AccountStatus.Uninitialized => "uninitialized",
        AccountStatus.Frozen => "frozen",
        AccountStatus.Active => "active",
        _ => "non-existing",
    };
}
