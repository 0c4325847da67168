using Cocoon.Jobs;
using Cocoon.Registry;

namespace Cocoon.Grains.Jobs;

/// <summary>
/// What a job keeps: metadata, routing and billing facts, and the output for replay (ciphertext when sealed).
/// Never the request payload.
/// </summary>
[GenerateSerializer, Alias("cocoon.job-state.v1")]
public sealed class JobState
{
    [Id(0)] public string AccountId { get; set; } = "";
    [Id(1)] public JobMetadata? Metadata { get; set; }
    [Id(2)] public JobPhase Phase { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public int Attempts { get; set; }
    [Id(5)] public string? NodeId { get; set; }
    [Id(6)] public string? NodeOwner { get; set; }
    [Id(7)] public long ReservedNano { get; set; }
    /// <summary>Prices are fixed when the job reserves its funds.</summary>
    [Id(8)] public NetworkParameters? Prices { get; set; }
    [Id(9)] public UsageReceipt? LastReceipt { get; set; }
    [Id(10)] public List<JobEvent> Output { get; set; } = [];
    [Id(11)] public JobEvent? Final { get; set; }
    [Id(12)] public bool Settled { get; set; }
    [Id(13)] public long CostNano { get; set; }
    [Id(14)] public string? FailureCode { get; set; }
    /// <summary>
    /// When the job ended, saved before settlement sends anything: settlement's credits go out no earlier, so a wallet
    /// can tell whether a repeat of them may have left its idempotency window (<c>IWalletGrain.CreditIssuedAt</c>).
    /// Null in jobs stored before it was recorded: their creation time is the bound then.
    /// </summary>
    [Id(15)] public DateTimeOffset? EndedAt { get; set; }
    /// <summary>
    /// The job settles through its client's wallet (<c>IWalletGrain.Settle</c>), which queues the shares with the
    /// capture; set at admission, so every row of such a job has it. False in rows of earlier builds, whose jobs
    /// capture and send the credits themselves if they settle (again) after an upgrade.
    /// </summary>
    [Id(16)] public bool SettlesInWallet { get; set; }
    /// <summary>
    /// The job's reservation answered before it committed (a whole job, <c>ReservationAdmission.DeferCommit</c>): its
    /// settlement tells the wallet, which captures from the available balance if that hold was lost.
    /// </summary>
    [Id(17)] public bool ReservationDeferred { get; set; }
}
