using System.Security.Cryptography;
using System.Text;
using Cocoon.Security;

namespace Cocoon.Grains.Tests;

/// <summary>Deterministic account keys for tests: the same name always gives the same key and account id.</summary>
public static class TestAccounts
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AccountKey> Keys = new();

    public static AccountKey Default => Named("test-account");

    public static AccountKey Named(string name) =>
        Keys.GetOrAdd(name, n => AccountKey.FromSeed(SHA256.HashData(Encoding.UTF8.GetBytes("cocoon-test-account:" + n))));

    /// <summary>A key no test has used: an account with no ledger yet.</summary>
    public static AccountKey Fresh() => AccountKey.Create();

    public static SignedRequest Sign(AccountKey key, string operation, byte[] digest, DateTimeOffset? at = null) =>
        RequestSigning.SignedRequest(key, operation, digest, at ?? DateTimeOffset.UtcNow);
}
