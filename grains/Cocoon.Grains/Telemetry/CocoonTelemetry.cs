using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cocoon.Grains.Telemetry;

/// <summary>The network's traces and metrics. Exporters (console, OTLP, Prometheus) are chosen by the host.</summary>
public static class CocoonTelemetry
{
    public const string Name = "Cocoon";
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> JobsStarted = Meter.CreateCounter<long>("cocoon.jobs.started", "{job}");
    public static readonly Counter<long> JobsCompleted = Meter.CreateCounter<long>("cocoon.jobs.completed", "{job}");
    public static readonly Counter<long> JobsFailed = Meter.CreateCounter<long>("cocoon.jobs.failed", "{job}");
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("cocoon.jobs.retries", "{attempt}");
    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>("cocoon.tokens", "{token}");
    public static readonly Histogram<double> TimeToFirstToken = Meter.CreateHistogram<double>("cocoon.jobs.time_to_first_token", "ms");
    public static readonly Histogram<double> InterTokenLatency = Meter.CreateHistogram<double>("cocoon.jobs.inter_token_latency", "ms");
    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("cocoon.jobs.duration", "ms");
    public static readonly Counter<long> ChargedNano = Meter.CreateCounter<long>("cocoon.ledger.charged", "nanoTON");
    public static readonly Counter<long> PayoutsRequested = Meter.CreateCounter<long>("cocoon.payouts.requested", "{payout}");
    public static readonly Counter<long> PayoutsConfirmed = Meter.CreateCounter<long>("cocoon.payouts.confirmed", "{payout}");
    public static readonly Counter<long> PayoutsBounced = Meter.CreateCounter<long>("cocoon.payouts.bounced", "{payout}");
    public static readonly Counter<long> PayoutsNano = Meter.CreateCounter<long>("cocoon.payouts.paid", "nanoTON");
    /// <summary>Outgoing treasury transfers that no payout explains: should stay zero.</summary>
    public static readonly Counter<long> PayoutsUnexplained = Meter.CreateCounter<long>("cocoon.payouts.unexplained", "{transfer}");
    /// <summary>Discrepancies found by each reconciliation run (ledger vs chain, per account and for the treasury).</summary>
    public static readonly Counter<long> ReconciliationDiscrepancies = Meter.CreateCounter<long>("cocoon.reconciliation.discrepancies", "{discrepancy}");
    public static readonly Counter<long> BreakerOpened = Meter.CreateCounter<long>("cocoon.nodes.breaker_opened", "{event}");
}
