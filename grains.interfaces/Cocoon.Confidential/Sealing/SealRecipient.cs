namespace Cocoon.Confidential.Sealing;

/// <summary>A candidate node to seal to: its node id and attested X25519 public key.</summary>
public readonly record struct SealRecipient(string NodeId, byte[] X25519PublicKey);
