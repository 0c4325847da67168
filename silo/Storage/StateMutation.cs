namespace Cocoon.Silo.Storage;

/// <summary>What a queued change does to one state row.</summary>
internal enum StateMutationKind
{
    /// <summary>Insert (expected ETag null) or replace the payload (expected ETag equal to the stored one).</summary>
    Write,

    /// <summary>Keep the row as a tombstone: payload null, ETag incremented.</summary>
    Clear,

    /// <summary>Remove the row.</summary>
    Delete,
}

/// <summary>One change queued for the group-commit writer; the payload is serialized by the caller.</summary>
internal sealed record StateMutation(StateMutationKind Kind, string StateName, string GrainId, long? ExpectedETag, byte[]? Payload);

/// <summary>
/// The result of a mutation once its batch committed. Applied: <see cref="ETag"/> is the new version (null when the row
/// is gone). Not applied: the ETags did not match and <see cref="ETag"/> is the stored version (null when no row exists).
/// </summary>
internal readonly record struct MutationOutcome(bool Applied, long? ETag);

/// <summary>A state row as read: its version and its payload, null when the state was cleared.</summary>
internal readonly record struct StoredState(long ETag, byte[]? Payload);
