using Cocoon.Ton.Crypto;

namespace Cocoon.Ton.Tests.Crypto;

public sealed class MnemonicTests
{
    private static string[] VectorWords => Mnemonic.Normalize(TestData.Vectors.GetProperty("mnemonic").GetProperty("words").GetString()!);

    [Fact]
    public void Vector_mnemonic_derives_the_published_key_pair()
    {
        var vector = TestData.Vectors.GetProperty("mnemonic");
        var pair = Mnemonic.ToKeyPair(VectorWords);

        Assert.Equal(vector.GetProperty("publicKey").GetString(), pair.PublicKeyHex);
        Assert.Equal(vector.GetProperty("secretKey").GetString(), Convert.ToHexStringLower(pair.SecretKey));
    }

    [Fact]
    public void Word_list_is_the_bip39_english_list()
    {
        Assert.Equal(2048, Mnemonic.WordList.Count);
        Assert.Equal("abandon", Mnemonic.WordList[0]);
        Assert.Equal("zoo", Mnemonic.WordList[^1]);
        Assert.Equal(Mnemonic.WordList.Count, Mnemonic.WordList.Distinct().Count());
    }

    [Fact]
    public void Phrase_with_extra_spaces_and_capitals_is_the_same_mnemonic()
    {
        var phrase = "  " + string.Join("   ", VectorWords.Select(w => w.ToUpperInvariant())) + "\n";

        Assert.Equal(Mnemonic.ToKeyPair(VectorWords).PublicKeyHex, Mnemonic.ToKeyPair(phrase).PublicKeyHex);
    }

    [Fact]
    public void Swapped_words_fail_the_seed_check_with_a_clear_error()
    {
        var words = VectorWords.ToArray();
        (words[0], words[1]) = (words[1], words[0]);

        Assert.False(Mnemonic.IsValid(words));
        var error = Assert.Throws<MnemonicException>(() => Mnemonic.ToKeyPair(words));
        Assert.Contains("seed check", error.Message);
    }

    [Fact]
    public void Unknown_word_and_wrong_count_are_reported()
    {
        var words = VectorWords.ToArray();
        words[5] = "notaword";

        Assert.Contains("Word 6", Assert.Throws<MnemonicException>(() => Mnemonic.Validate(words)).Message);
        Assert.Contains("24 words", Assert.Throws<MnemonicException>(() => Mnemonic.Validate(VectorWords[..12])).Message);
    }

    [Fact]
    public void Generated_mnemonic_is_valid_and_derives_a_working_key()
    {
        var words = Mnemonic.Generate();

        Assert.Equal(24, words.Length);
        Assert.True(Mnemonic.IsValid(words));
        var pair = Mnemonic.ToKeyPair(words);
        var signature = pair.Sign("payload"u8);
        Assert.True(KeyPair.Verify(pair.PublicKey.Span, "payload"u8, signature));
        Assert.False(KeyPair.Verify(pair.PublicKey.Span, "tampered"u8, signature));
    }

    [Fact]
    public void Secret_key_round_trips_and_a_mismatched_half_is_rejected()
    {
        var vector = TestData.Vectors.GetProperty("mnemonic");
        var secret = Convert.FromHexString(vector.GetProperty("secretKey").GetString()!);

        Assert.Equal(vector.GetProperty("publicKey").GetString(), KeyPair.FromSecretKey(secret).PublicKeyHex);
        secret[40] ^= 1;
        Assert.Throws<TonFormatException>(() => KeyPair.FromSecretKey(secret));
        Assert.DoesNotContain(Convert.ToHexStringLower(secret[..32]), KeyPair.FromSeed(secret[..32]).ToString());
    }
}
