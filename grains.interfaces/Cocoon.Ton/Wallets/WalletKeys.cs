using Cocoon.Ton.Crypto;

namespace Cocoon.Ton.Wallets;

internal static class WalletKeys
{
    public static byte[] CheckPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32)
        {
            throw new ArgumentException($"An Ed25519 public key has 32 bytes, got {publicKey.Length}.", nameof(publicKey));
        }

        return publicKey.ToArray();
    }

    /// <summary>A message signed with another key is rejected on chain after the fees are gone: refuse it here.</summary>
    public static void EnsureOwner(KeyPair key, ReadOnlySpan<byte> walletPublicKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.PublicKey.Span.SequenceEqual(walletPublicKey))
        {
            throw new ArgumentException("The key pair does not own this wallet: its public key differs from the wallet's.", nameof(key));
        }
    }
}
