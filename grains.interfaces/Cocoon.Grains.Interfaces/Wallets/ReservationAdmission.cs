using Cocoon.Registry;
using Cocoon.Security;

namespace Cocoon.Wallets;

/// <summary>
/// What a job's reservation is admitted against: the tokens it may use (its prompt bound plus max tokens), the limits
/// in force (the registry's), and the signature of the job request, kept in the reservation's ledger entry for audit.
/// The account's buckets live in its wallet grain, so admission costs no extra call on the job path.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.reservation-admission.v1")]
public sealed record ReservationAdmission(
    [property: Id(0)] long Tokens,
    [property: Id(1)] AccountLimits Limits,
    [property: Id(2)] RequestSignature? Signature);
