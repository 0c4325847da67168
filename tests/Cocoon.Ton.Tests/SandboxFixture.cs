using System.Text.Json;

namespace Cocoon.Ton.Tests;

/// <summary>Fixtures/sandbox-transactions.json: transactions executed by @ton/sandbox and what @ton/core reads from them.</summary>
internal static class SandboxFixture
{
    private static readonly Lazy<JsonElement> Json = new(() => JsonDocument.Parse(TestData.Fixture("sandbox-transactions.json")).RootElement);

    public static JsonElement Root => Json.Value;

    public static JsonElement Transaction(string name) => Root.GetProperty("transactions").GetProperty(name);

    public static IEnumerable<string> TransactionNames => Root.GetProperty("transactions").EnumerateObject().Select(p => p.Name);
}
