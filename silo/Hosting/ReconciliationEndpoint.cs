using System.Text.Json;
using Cocoon.Grains.Reconciliation;

namespace Cocoon.Silo.Hosting;

/// <summary>
/// <c>GET /admin/reconcile</c> on the silo's HTTP port (bound to loopback): runs the internal reconciliation and answers
/// its report as JSON, what <c>cocoon reconcile</c> prints. Internal grain calls are refused to clients, so operators
/// reach it here, on the silo's own machine.
/// </summary>
public static class ReconciliationEndpoint
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    public static void MapReconciliation(this WebApplication app) =>
        app.MapGet("/admin/reconcile", async (IGrainFactory grains) =>
        {
            var report = await grains.GetGrain<IReconciliationGrain>("network").Run();
            return Results.Json(report, Json);
        });
}
