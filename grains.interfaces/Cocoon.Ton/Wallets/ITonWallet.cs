using Cocoon.Ton.Addresses;
using Cocoon.Ton.Messages;

namespace Cocoon.Ton.Wallets;

/// <summary>A wallet contract identified by its initial state.</summary>
public interface ITonWallet
{
    ReadOnlyMemory<byte> PublicKey { get; }

    StateInit StateInit { get; }

    TonAddress Address { get; }
}
