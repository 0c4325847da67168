using System.CommandLine;
using Cocoon.Cli.Hosting;
using Cocoon.Client;
using Cocoon.Hosting;
using Cocoon.Payouts;
using Microsoft.Extensions.DependencyInjection;

namespace Cocoon.Cli.Payouts;

/// <summary>
/// <c>cocoon withdraw</c>: pays part of an account's available balance to a TON address through the network's treasury.
/// The request id makes it safe to repeat: the same id returns the same payout. <c>--status</c> only shows it.
/// </summary>
public static class WithdrawCommand
{
    public static Command Create(CommandRunner runner)
    {
        var account = AccountOption.Create();
        var amount = new Option<long>("--amount-nano") { Description = "nanoTON to withdraw.", HelpName = "NANOTON" };
        var to = new Option<string?>("--to") { Description = "Your TON address (a bounceable address sends the payout back if it cannot take it).", HelpName = "ADDRESS" };
        var requestId = new Option<string>("--request-id") { Description = "Your id for this withdrawal (repeat it to retry safely).", Required = true, HelpName = "ID" };
        var status = new Option<bool>("--status") { Description = "Only show the withdrawal with this request id." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("withdraw", "Withdraw available balance (or earnings) to a TON address.") { account, amount, to, requestId, status, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await using var session = await CocoonClientSession.ConnectAsync(runner.Global.Configure(parse, parse.GetValue(account)), cancellationToken: cancellationToken);
                var accountId = session.Client.Connection.AccountId ?? throw new NoAccountException(CocoonHome.Resolve(parse.GetValue(runner.Global.Home)));
                PayoutView? view;
                if (parse.GetValue(status))
                {
                    view = await session.Client.GetWithdrawalAsync(parse.GetValue(requestId)!, accountId, cancellationToken);
                    if (view is null)
                    {
                        await runner.IO.Error.WriteLineAsync($"error: account {accountId} has no withdrawal with request id '{parse.GetValue(requestId)}'.");
                        return ExitCodes.JobNotFound;
                    }
                }
                else
                {
                    var destination = parse.GetValue(to) ?? throw new FormatException("--to is required: the TON address to pay.");
                    view = await session.Client.WithdrawAsync(parse.GetValue(amount), destination, parse.GetValue(requestId)!, accountId, cancellationToken);
                }
                if (parse.GetValue(json))
                    await runner.IO.Out.WriteLineAsync(ToJson(view));
                else
                    await runner.IO.Out.WriteLineAsync($"payout {view.PayoutId}: {TonAmount.Format(view.AmountNano)} TON to {view.Destination}, {view.Status.ToString().ToLowerInvariant()}" +
                        (view.Error is null ? "" : $" ({view.Error})"));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return runner.Fail(e);
            }
        });
        return command;
    }

    internal static string ToJson(PayoutView v) => Json.Object(w =>
    {
        w.WriteNumber("payout_id", v.PayoutId);
        w.WriteString("account", v.AccountId);
        w.WriteString("request_id", v.RequestId);
        w.WriteNumber("amount_nano", v.AmountNano);
        w.WriteString("destination", v.Destination);
        w.WriteString("status", v.Status.ToString().ToLowerInvariant());
        if (v.QueryId is not null) w.WriteString("query_id", v.QueryId);
        if (v.MessageHash is not null) w.WriteString("message_hash", v.MessageHash);
        if (v.TransactionHash is not null) w.WriteString("transaction_hash", v.TransactionHash);
        w.WriteString("created_at", v.CreatedAt.UtcDateTime.ToString("O"));
        if (v.Error is not null) w.WriteString("error", v.Error);
    });
}
