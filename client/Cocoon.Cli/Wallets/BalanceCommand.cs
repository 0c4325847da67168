using System.CommandLine;
using Cocoon.Cli.Hosting;
using Cocoon.Client;
using Cocoon.Wallets;
using Spectre.Console;

namespace Cocoon.Cli.Wallets;

/// <summary><c>cocoon balance</c>: the account's balance, reservations and, with --entries, its latest ledger entries.</summary>
public static class BalanceCommand
{
    public static Command Create(CommandRunner runner)
    {
        var account = AccountOption.Create();
        var entries = new Option<int>("--entries", "-n") { Description = "Also list this many latest ledger entries (newest first)." }
            .Require(v => v is >= 0 and <= 1000, "--entries must be between 0 and 1000.");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("balance", "Show an account's balance (nanoTON and TON).") { account, entries, json };
        command.SetAction((parse, cancellationToken) => runner.Run(parse, parse.GetValue(account), async client =>
        {
            var balance = await client.GetBalanceAsync(cancellationToken: cancellationToken);
            var limit = parse.GetValue(entries);
            IReadOnlyList<LedgerEntry> lines = limit > 0 ? await client.GetEntriesAsync(limit: limit, cancellationToken: cancellationToken) : [];
            if (parse.GetValue(json))
                await runner.IO.Out.WriteLineAsync(ToJson(balance, limit > 0 ? lines : null));
            else
                Render(runner.IO.Out, balance, lines);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    internal static string ToJson(AccountBalance b, IReadOnlyList<LedgerEntry>? entries) => Json.Object(w =>
    {
        w.WriteString("account", b.AccountId);
        w.WriteBoolean("exists", b.Exists);
        w.WriteNumber("balance_nano", b.BalanceNano);
        w.WriteNumber("reserved_nano", b.ReservedNano);
        w.WriteNumber("available_nano", b.AvailableNano);
        w.WriteString("balance_ton", TonAmount.Format(b.BalanceNano));
        w.WriteString("reserved_ton", TonAmount.Format(b.ReservedNano));
        w.WriteString("available_ton", TonAmount.Format(b.AvailableNano));
        w.WriteNumber("entry_count", b.EntryCount);
        w.WriteNumber("owed_nano", b.OwedNano);
        if (entries is null) return;
        w.WriteStartArray("entries");
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteNumber("sequence", e.Sequence);
            w.WriteString("kind", e.Kind.ToString().ToLowerInvariant());
            w.WriteString("external_id", e.ExternalId);
            w.WriteNumber("amount_nano", e.AmountNano);
            w.WriteString("amount_ton", TonAmount.Format(e.AmountNano));
            w.WriteNumber("balance_after_nano", e.BalanceAfterNano);
            w.WriteString("counterparty", e.Counterparty);
            w.WriteString("memo", e.Memo);
            w.WriteString("at", e.At.UtcDateTime.ToString("O"));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static void Render(TextWriter output, AccountBalance b, IReadOnlyList<LedgerEntry> entries)
    {
        var console = Tables.Console(output);
        var table = new Table().AddColumns("Account", "Balance (TON)", "Reserved (TON)", "Available (TON)");
        table.AddRow(Markup.Escape(b.AccountId), TonAmount.Format(b.BalanceNano), TonAmount.Format(b.ReservedNano), TonAmount.Format(b.AvailableNano));
        console.Write(table);
        if (!b.Exists) console.MarkupLine("[yellow]This account has no ledger yet: deposit to it first.[/]");
        if (entries.Count == 0) return;
        var lines = new Table().AddColumns("#", "Kind", "Amount (TON)", "Balance after", "Counterparty", "Reference", "Memo", "At (UTC)");
        foreach (var e in entries)
            lines.AddRow(e.Sequence.ToString(), e.Kind.ToString(), TonAmount.Format(e.AmountNano), TonAmount.Format(e.BalanceAfterNano),
                Markup.Escape(e.Counterparty), Markup.Escape(e.ExternalId), Markup.Escape(e.Memo), e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
        console.Write(lines);
    }
}
