using System.Text;
using NSec.Cryptography;

namespace Cocoon.Security;

/// <summary>
/// An account's Ed25519 key pair. The account id is derived from the public key (<see cref="AccountIds"/>). The key
/// file is text: <c>#</c> comment lines, then the 32-byte private seed as 64 hex digits; it is written mode 0600 and
/// refused when group or others may read it.
/// </summary>
public sealed class AccountKey : IDisposable
{
    public const int SeedLength = 32;
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private AccountKey(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        AccountId = AccountIds.FromPublicKey(PublicKey);
    }

    public byte[] PublicKey { get; }

    public string AccountId { get; }

    public static AccountKey Create() =>
        new(Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    public static AccountKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
            throw new InvalidAccountKeyException($"an account key is a {SeedLength}-byte Ed25519 seed, got {seed.Length} bytes.");
        return new(Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>Parses a key as text: 64 hex digits or base64 of the 32-byte seed; <c>#</c> lines are ignored.</summary>
    public static AccountKey Parse(string text)
    {
        var body = string.Concat(text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        byte[] seed;
        try
        {
            seed = body.Length == 2 * SeedLength ? Convert.FromHexString(body) : Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            throw new InvalidAccountKeyException("an account key is its 32-byte seed as 64 hex digits (or base64); this text is neither.");
        }
        return FromSeed(seed);
    }

    /// <summary>Loads a key file, refusing one that group or others may read.</summary>
    public static AccountKey Load(string path) => Parse(SecretFiles.ReadText(path, "account key"));

    /// <summary>Writes the key to a new file readable by its owner only; refuses to overwrite.</summary>
    public void Save(string path)
    {
        var text = new StringBuilder()
            .Append("# Cocoon account key (Ed25519 seed). Anyone holding it can spend the account: keep it private.\n")
            .Append("# account ").Append(AccountId).Append('\n')
            .Append(Convert.ToHexStringLower(ExportSeed())).Append('\n')
            .ToString();
        SecretFiles.WriteNew(path, text);
    }

    public byte[] Sign(ReadOnlySpan<byte> message) => Algorithm.Sign(_key, message);

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        publicKey.Length == AccountIds.PublicKeyLength
        && signature.Length == Algorithm.SignatureSize
        && PublicKeyOf(publicKey) is { } key
        && Algorithm.Verify(key, message, signature);

    private static NSec.Cryptography.PublicKey? PublicKeyOf(ReadOnlySpan<byte> raw) =>
        NSec.Cryptography.PublicKey.TryImport(Algorithm, raw, KeyBlobFormat.RawPublicKey, out var key) ? key : null;

    private byte[] ExportSeed() => _key.Export(KeyBlobFormat.RawPrivateKey);

    // Never print the private part.
    public override string ToString() => $"AccountKey {{ AccountId = {AccountId} }}";

    public void Dispose() => _key.Dispose();
}
