using System.Text.Json.Nodes;
using Cocoon.Ton.Transactions;

namespace Cocoon.Cli.Ton;

/// <summary>A transaction as JSON for operators. Logical times and amounts (nanotons) are strings: they exceed 2^53.</summary>
internal static class TransactionJson
{
    public static JsonObject Describe(Transaction tx)
    {
        var outMessages = new JsonArray();
        foreach (var message in tx.OutMessages)
        {
            outMessages.Add(Describe(message));
        }

        return new JsonObject
        {
            ["hash"] = tx.Hash,
            ["account"] = tx.Account.ToRaw(),
            ["lt"] = tx.Lt.ToString(),
            ["now"] = tx.Now,
            ["prevLt"] = tx.PreviousTransactionLt.ToString(),
            ["prevHash"] = Convert.ToHexStringLower(tx.PreviousTransactionHash),
            ["origStatus"] = tx.OriginalStatus.ToString(),
            ["endStatus"] = tx.EndStatus.ToString(),
            ["totalFees"] = tx.TotalFees.Grams.ToString(),
            ["inMessage"] = tx.InMessage is null ? null : Describe(tx.InMessage),
            ["outMessages"] = outMessages,
            ["description"] = Describe(tx.Description),
        };
    }

    private static JsonObject Describe(Message message)
    {
        var result = new JsonObject { ["hash"] = message.Hash };
        switch (message.Info)
        {
            case InternalMessageInfo info:
                result["type"] = "internal";
                result["source"] = info.Source?.ToRaw();
                result["destination"] = info.Destination?.ToRaw();
                result["value"] = info.Value.Grams.ToString();
                result["bounce"] = info.Bounce;
                result["bounced"] = info.Bounced;
                result["forwardFee"] = info.ForwardFee.ToString();
                result["createdLt"] = info.CreatedLt.ToString();
                result["createdAt"] = info.CreatedAt;
                break;
            case ExternalInMessageInfo info:
                result["type"] = "external-in";
                result["destination"] = info.Destination?.ToRaw();
                break;
            case ExternalOutMessageInfo info:
                result["type"] = "external-out";
                result["source"] = info.Source?.ToRaw();
                result["createdLt"] = info.CreatedLt.ToString();
                result["createdAt"] = info.CreatedAt;
                break;
        }

        result["hasStateInit"] = message.StateInit is not null;
        result["bodyHash"] = message.Body.HashHex;
        result["comment"] = message.Comment;
        return result;
    }

    private static JsonObject Describe(TransactionDescription description)
    {
        var result = new JsonObject
        {
            ["kind"] = description.Kind.ToString(),
            ["aborted"] = description.Aborted,
            ["destroyed"] = description.Destroyed,
            ["creditFirst"] = description.CreditFirst,
            ["storageFeesCollected"] = description.Storage?.FeesCollected.ToString(),
            ["credit"] = description.Credit?.Credit.Grams.ToString(),
        };
        if (description.Compute is { } compute)
        {
            result["compute"] = compute.Skipped
                ? new JsonObject { ["skipped"] = true, ["reason"] = compute.SkipReason.ToString() }
                : new JsonObject
                {
                    ["skipped"] = false,
                    ["success"] = compute.Success,
                    ["exitCode"] = compute.ExitCode,
                    ["gasUsed"] = compute.GasUsed.ToString(),
                    ["gasFees"] = compute.GasFees.ToString(),
                    ["vmSteps"] = compute.VmSteps,
                };
        }

        result["action"] = description.Action is { } action
            ? new JsonObject
            {
                ["success"] = action.Success,
                ["resultCode"] = action.ResultCode,
                ["totalActions"] = action.TotalActions,
                ["messagesCreated"] = action.MessagesCreated,
                ["skippedActions"] = action.SkippedActions,
            }
            : null;
        result["bounce"] = description.Bounce?.Kind.ToString();
        return result;
    }
}
