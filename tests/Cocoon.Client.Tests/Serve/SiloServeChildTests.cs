using System.Text.Json;
using Cocoon.Client.Tests.Hosting;

namespace Cocoon.Client.Tests.Serve;

/// <summary>The single-machine silo starts `cocoon serve` beside itself; here on a free port instead of 8080.</summary>
public sealed class SiloServeChildTests
{
    [Fact]
    public async Task The_silo_starts_cocoon_serve_as_a_child_on_its_port()
    {
        var port = FreePorts.Next();
        // Later command-line values win: this re-enables what SiloProcess turns off.
        await using var silo = await TestSilo.StartAsync(TimeSpan.FromSeconds(120), "--Cocoon:Serve:Enabled=true", $"--Cocoon:Serve:Port={port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? body = null;
        await Eventually.True(async () =>
        {
            body = await http.GetStringAsync($"http://127.0.0.1:{port}/v1/models");
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("data").EnumerateArray()
                .Any(m => m.GetProperty("id").GetString() == "echo" && m.GetProperty("workers").GetArrayLength() > 0);
        }, TimeSpan.FromSeconds(90), () => $"no echo worker listed by the silo's cocoon serve (last: {body}):{Environment.NewLine}{silo.OutputTail}");
    }
}
