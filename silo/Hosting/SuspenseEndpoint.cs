using Cocoon.Errors;
using Cocoon.Grains.Wallets;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// <c>POST /admin/suspense/pay?item=ID</c> and <c>POST /admin/suspense/drop?item=ID</c> on the silo's HTTP port (bound
/// to loopback): the operator's answer to a settlement share booked to suspense (<see cref="SuspenseItems"/>).
/// Wallet operations are internal grain calls, refused to clients, so operators make them here, on the silo's machine.
/// </summary>
public static class SuspenseEndpoint
{
    public static void MapSuspense(this WebApplication app)
    {
        app.MapPost("/admin/suspense/pay", (string item, IGrainFactory grains) => Answer(() => SuspenseItems.PayAsync(grains, item)));
        app.MapPost("/admin/suspense/drop", (string item, IGrainFactory grains) => Answer(() => SuspenseItems.DropAsync(grains, item)));
    }

    private static async Task<IResult> Answer(Func<Task<SuspenseResolution>> resolve)
    {
        try
        {
            var r = await resolve();
            return Results.Json(new { item = r.Item, account = r.Account, job_id = r.JobId, kind = r.Kind.ToString().ToLowerInvariant(), amount_nano = r.AmountNano, outcome = r.Outcome });
        }
        catch (CocoonException e)
        {
            return Results.Json(new { error = e.Message, code = e.Code }, statusCode: e is LedgerException ? 409 : 400);
        }
    }
}
