using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Ton.Crypto;

/// <summary>
/// TON mnemonics (tonlib's scheme, not BIP39's): 24 words from the BIP39 English list.
/// entropy = HMAC-SHA512(key: the words joined by spaces, message: the password or nothing);
/// seed = PBKDF2-SHA512(entropy, "TON default seed", 100000) and its first 32 bytes are the Ed25519 seed.
/// A phrase is valid when PBKDF2-SHA512(entropy, "TON seed version", 390)[0] == 0 (a "basic seed").
/// </summary>
public static class Mnemonic
{
    public const int WordCount = 24;
    private const int PbkdfIterations = 100_000;

    private static readonly Lazy<string[]> Words = new(LoadWordList);
    private static readonly Lazy<Dictionary<string, int>> WordIndex = new(() =>
        Words.Value.Select((word, i) => (word, i)).ToDictionary(p => p.word, p => p.i, StringComparer.Ordinal));

    /// <summary>The BIP39 English word list (2048 words), the alphabet of TON mnemonics.</summary>
    public static IReadOnlyList<string> WordList => Words.Value;

    /// <summary>Splits a phrase on whitespace, lower-cased.</summary>
    public static string[] Normalize(string phrase) =>
        phrase.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).ToArray();

    /// <summary>Generates a new valid 24-word mnemonic from the system's secure random generator.</summary>
    public static string[] Generate(string? password = null)
    {
        var words = new string[WordCount];
        while (true)
        {
            for (var i = 0; i < WordCount; i++)
            {
                words[i] = Words.Value[RandomNumberGenerator.GetInt32(Words.Value.Length)];
            }

            if (!string.IsNullOrEmpty(password) && !IsPasswordNeeded(words))
            {
                continue;
            }

            if (IsBasicSeed(ToEntropy(words, password)))
            {
                return (string[])words.Clone();
            }
        }
    }

    public static bool IsValid(IReadOnlyList<string> words, string? password = null) => Check(words, password) is null;

    /// <summary>Throws <see cref="MnemonicException"/> saying what is wrong, or returns normally for a valid phrase.</summary>
    public static void Validate(IReadOnlyList<string> words, string? password = null)
    {
        if (Check(words, password) is { } problem)
        {
            throw new MnemonicException(problem);
        }
    }

    /// <summary>Derives the wallet key pair of a validated mnemonic.</summary>
    public static KeyPair ToKeyPair(IReadOnlyList<string> words, string? password = null)
    {
        var normalized = words.Select(w => w.Trim().ToLowerInvariant()).ToArray();
        Validate(normalized, password);
        var seed = Rfc2898DeriveBytes.Pbkdf2(ToEntropy(normalized, password), "TON default seed"u8.ToArray(),
            PbkdfIterations, HashAlgorithmName.SHA512, 64);
        return KeyPair.FromSeed(seed.AsSpan(0, 32));
    }

    public static KeyPair ToKeyPair(string phrase, string? password = null) => ToKeyPair(Normalize(phrase), password);

    private static string? Check(IReadOnlyList<string> words, string? password)
    {
        if (words.Count != WordCount)
        {
            return $"A TON mnemonic has {WordCount} words, got {words.Count}.";
        }

        var normalized = words.Select(w => w.Trim().ToLowerInvariant()).ToArray();
        for (var i = 0; i < normalized.Length; i++)
        {
            if (!WordIndex.Value.ContainsKey(normalized[i]))
            {
                return $"Word {i + 1} is not in the BIP39 English list.";
            }
        }

        if (!string.IsNullOrEmpty(password) && !IsPasswordNeeded(normalized))
        {
            return "This mnemonic was not generated with a password.";
        }

        return IsBasicSeed(ToEntropy(normalized, password))
            ? null
            : "The words do not form a TON mnemonic (seed check failed): a word is mistyped or the password is wrong.";
    }

    internal static byte[] ToEntropy(IReadOnlyList<string> words, string? password) =>
        HMACSHA512.HashData(Encoding.UTF8.GetBytes(string.Join(' ', words)), Encoding.UTF8.GetBytes(password ?? ""));

    internal static bool IsBasicSeed(byte[] entropy) =>
        Rfc2898DeriveBytes.Pbkdf2(entropy, "TON seed version"u8.ToArray(), Math.Max(1, PbkdfIterations / 256),
            HashAlgorithmName.SHA512, 64)[0] == 0;

    private static bool IsPasswordSeed(byte[] entropy) =>
        Rfc2898DeriveBytes.Pbkdf2(entropy, "TON fast seed version"u8.ToArray(), 1, HashAlgorithmName.SHA512, 64)[0] == 1;

    private static bool IsPasswordNeeded(IReadOnlyList<string> words)
    {
        var passless = ToEntropy(words, null);
        return IsPasswordSeed(passless) && !IsBasicSeed(passless);
    }

    private static string[] LoadWordList()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Cocoon.Ton.Crypto.bip39-english.txt")
                           ?? throw new InvalidOperationException("The embedded BIP39 word list is missing from Cocoon.Ton.");
        using var reader = new StreamReader(stream);
        var words = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 2048 ? words : throw new InvalidOperationException($"The BIP39 word list has {words.Length} words, not 2048.");
    }
}
