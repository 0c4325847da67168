using NSec.Cryptography;
using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Receipts;

/// <summary>Signs and verifies usage receipts (Ed25519 over <see cref="UsageReceipt.Encode"/>).</summary>
public static class UsageReceiptSigner
{
    public static byte[] Sign(UsageReceipt receipt, NodeKeys keys) => keys.Sign(receipt.Encode());

    /// <summary>False for a wrong signature, a wrong key, or a receipt that cannot be encoded (negative counts).</summary>
    public static bool Verify(UsageReceipt receipt, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> ed25519PublicKey)
    {
        if (signature.Length != 64
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, ed25519PublicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            return false;
        }
        byte[] encoded;
        try
        {
            encoded = receipt.Encode();
        }
        catch (ArgumentException)
        {
            return false;
        }
        return SignatureAlgorithm.Ed25519.Verify(key, encoded, signature);
    }
}
