namespace Cocoon.Ton.Crypto;

/// <summary>A mnemonic that is not a valid TON mnemonic: wrong word count, unknown word, or failed seed check.</summary>
public sealed class MnemonicException : TonFormatException
{
    public MnemonicException(string message) : base(message) { }
}
