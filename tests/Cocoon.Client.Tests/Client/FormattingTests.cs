using System.Net;
using Cocoon.Cli.Jobs;

namespace Cocoon.Client.Tests.Client;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1L, "0.000000001")]
    [InlineData(1_000_000_000L, "1")]
    [InlineData(1_500_000_000L, "1.5")]
    [InlineData(-7_000L, "-0.000007")]
    [InlineData(long.MaxValue, "9223372036.854775807")]
    [InlineData(long.MinValue, "-9223372036.854775808")]
    public void Ton_formats_nanoton_exactly(long nano, string expected) => Assert.Equal(expected, TonAmount.Format(nano));

    [Theory]
    [InlineData("90", 90_000)]
    [InlineData("1500ms", 1_500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0.5", 500)]
    public void Durations_accept_seconds_and_units(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(milliseconds, (long)value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("soon")]
    [InlineData("25h")]
    public void Durations_refuse_what_is_not_a_positive_duration(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Gateway_addresses_parse_ipv4_ipv6_and_names()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 30000), GatewayAddress.Parse("127.0.0.1:30000"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 30001), GatewayAddress.Parse("[::1]:30001"));
        Assert.Equal(30002, GatewayAddress.Parse("localhost:30002").Port);
        Assert.Throws<FormatException>(() => GatewayAddress.Parse("127.0.0.1"));
        Assert.Throws<FormatException>(() => GatewayAddress.Parse("127.0.0.1:0"));
        Assert.Throws<FormatException>(() => GatewayAddress.Parse(":30000"));
    }

    [Fact]
    public void The_connection_comes_from_the_data_directory_when_options_leave_it_open()
    {
        var home = Directory.CreateTempSubdirectory("cocoon-connection-").FullName;
        try
        {
            var empty = CocoonConnection.Resolve(new CocoonClientOptions { Home = home });
            Assert.Equal([new IPEndPoint(IPAddress.Loopback, 30000)], empty.Gateways);
            Assert.Equal("cocoon-dev", empty.ClusterId);
            Assert.Null(empty.AccountId);

            File.WriteAllText(Path.Combine(home, "endpoints.json"), """{"clusterId":"c1","serviceId":"s1","gatewayPort":31234,"httpPort":8081}""");
            using var devKey = Cocoon.Security.AccountKey.Create();
            devKey.Save(Cocoon.Hosting.CocoonHome.DevAccountKeyFile(home));
            var written = CocoonConnection.Resolve(new CocoonClientOptions { Home = home });
            Assert.Equal([new IPEndPoint(IPAddress.Loopback, 31234)], written.Gateways);
            Assert.Equal(("c1", "s1", devKey.AccountId), (written.ClusterId, written.ServiceId, written.AccountId));
            Assert.True(written.Keys.ContainsKey(devKey.AccountId));

            var explicitly = CocoonConnection.Resolve(new CocoonClientOptions { Home = home, Gateways = ["127.0.0.1:4000"], AccountId = "alice" });
            Assert.Equal(4000, explicitly.Gateways.Single().Port);
            Assert.Equal("alice", explicitly.AccountId);

            File.WriteAllText(Path.Combine(home, "endpoints.json"), "{ half written");
            Assert.Equal(30000, CocoonConnection.Resolve(new CocoonClientOptions { Home = home }).Gateways.Single().Port);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
