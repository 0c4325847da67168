using System.Security.Cryptography;
using Cocoon.Jobs;

namespace Cocoon.Security;

/// <summary>
/// The content digest of each signed operation: SHA-256 of the operation's canonical content (<see cref="CanonicalWriter"/>).
/// Client and grain compute it the same way from the request itself; docs/security.md gives each layout.
/// </summary>
public static class RequestContent
{
    /// <summary>job.run: job id, metadata, payload format and SHA-256 of the payload bytes (ciphertext for a sealed job).</summary>
    public static byte[] JobRun(string jobId, JobMetadata metadata, JobPayload payload) =>
        new CanonicalWriter()
            .String(jobId)
            .String(metadata.Model)
            .Int32(metadata.MaxTokens)
            .Int32(metadata.MaxPromptTokens)
            .Int32(metadata.MaxCoefficient)
            .Int64(metadata.Deadline.ToUnixTimeMilliseconds())
            .String(metadata.Region)
            .String(payload.Format)
            .Fixed(SHA256.HashData(payload.Data))
            .Sha256();

    /// <summary>job.cancel and job.status: the job id.</summary>
    public static byte[] Job(string jobId) => new CanonicalWriter().String(jobId).Sha256();

    /// <summary>wallet.balance: nothing beyond the account (signed in the envelope).</summary>
    public static byte[] Balance() => new CanonicalWriter().Sha256();

    /// <summary>wallet.entries: the number of entries asked for.</summary>
    public static byte[] Entries(int limit) => new CanonicalWriter().Int32(limit).Sha256();

    /// <summary>wallet.withdraw: the client-chosen withdrawal id (idempotency key), the amount and the destination address as text.</summary>
    public static byte[] Withdrawal(string withdrawalId, long amountNano, string destination) =>
        new CanonicalWriter().String(withdrawalId).Int64(amountNano).String(destination).Sha256();

    /// <summary>wallet.withdrawal (reading one withdrawal): its withdrawal id.</summary>
    public static byte[] WithdrawalStatus(string withdrawalId) => new CanonicalWriter().String(withdrawalId).Sha256();
}
