using Cocoon.Registry;
using Cocoon.Security;

namespace Cocoon.Wallets;

/// <summary>
/// What a job's reservation is admitted against: the tokens it may use (its prompt bound plus max tokens), the limits
/// in force (the registry's), and the signature of the job request, kept in the reservation's ledger entry for audit.
/// The account's buckets live in its wallet grain, so admission costs no extra call on the job path.
/// </summary>
/// <param name="DeferCommit">
/// The reservation may answer before it commits: the wallet holds it in memory at once (later reservations see it)
/// and commits it with its next write, at the latest with the job's settlement. For a job answered in one call, whose
/// caller hears nothing before that settlement committed. A wallet whose silo dies in between loses the hold; the
/// settlement then captures from the available balance instead (<see cref="SettlementShares.ReservationDeferred"/>).
/// </param>
[GenerateSerializer, Immutable, Alias("cocoon.reservation-admission.v1")]
public sealed record ReservationAdmission(
    [property: Id(0)] long Tokens,
    [property: Id(1)] AccountLimits Limits,
    [property: Id(2)] RequestSignature? Signature,
    [property: Id(3)] bool DeferCommit = false);
