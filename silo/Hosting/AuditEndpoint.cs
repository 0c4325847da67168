using Cocoon.Wallets;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// <c>GET /audit/{account}?limit=N</c> on the silo's operator HTTP port (loopback unless configured otherwise): an
/// account's latest ledger entries with who made each change and the account signature that authorized it. Ledger
/// reads are internal: clients cannot make them, the silo's own hosted client can. <c>cocoon audit</c> reads it.
/// </summary>
public static class AuditEndpoint
{
    public static void MapCocoonAudit(this WebApplication app) =>
        app.MapGet("/audit/{account}", async (string account, int? limit, IGrainFactory grains) =>
        {
            if (!Accounts.IsValid(account))
                return Results.Json(new { error = $"'{account}' is not a valid account id." }, statusCode: 400);
            var entries = await grains.GetGrain<IWalletGrain>(account).GetEntries(Math.Clamp(limit ?? 100, 1, 1000));
            var balance = await grains.GetGrain<IWalletGrain>(account).GetBalance();
            return Results.Json(new
            {
                account,
                exists = balance.Exists,
                balance_nano = balance.BalanceNano,
                reserved_nano = balance.ReservedNano,
                entries = entries.Select(e => new
                {
                    sequence = e.Sequence,
                    kind = e.Kind.ToString().ToLowerInvariant(),
                    external_id = e.ExternalId,
                    amount_nano = e.AmountNano,
                    balance_after_nano = e.BalanceAfterNano,
                    counterparty = e.Counterparty,
                    memo = e.Memo,
                    at = e.At.UtcDateTime.ToString("O"),
                    actor = e.Actor,
                    signature = e.Signature?.ToString(),
                }),
            });
        });
}
