using System.Text.Json;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Messages;

namespace Cocoon.Ton.Tests.Wallets;

/// <summary>Internal messages laid out as @ton/core's storeMessageRelaxed does (Fixtures/messages.json).</summary>
public sealed class InternalMessageTests
{
    private static readonly Lazy<JsonElement> Root = new(() => JsonDocument.Parse(TestData.Fixture("messages.json")).RootElement);

    public static TheoryData<string> Names() => new(Root.Value.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(Names))]
    public void Message_cell_matches_the_reference_layout(string name)
    {
        var root = Root.Value;
        var fixture = root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var to = TonAddress.Parse(root.GetProperty("to").GetString()!);
        var init = fixture.GetProperty("init").GetBoolean()
            ? new StateInit(Cell.FromBoc(root.GetProperty("code").GetString()!), Cell.FromBoc(root.GetProperty("data").GetString()!))
            : null;
        Cell? body = fixture.GetProperty("comment").ValueKind == JsonValueKind.String
            ? TextComment.Build(fixture.GetProperty("comment").GetString()!)
            : fixture.GetProperty("body").ValueKind == JsonValueKind.String ? Cell.FromBoc(fixture.GetProperty("body").GetString()!) : null;

        var message = new InternalMessage(to, long.Parse(fixture.GetProperty("value").GetString()!), fixture.GetProperty("bounce").GetBoolean(), body, init);

        Assert.Equal(fixture.GetProperty("hash").GetString(), message.ToCell().HashHex);
        Assert.Equal(fixture.GetProperty("boc").GetString(), Convert.ToHexStringLower(message.ToCell().ToBoc(withCrc32C: true)));
    }
}
