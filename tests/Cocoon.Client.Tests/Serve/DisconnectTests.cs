using System.Text;
using Cocoon.Client.Tests.Hosting;
using Cocoon.Jobs;

namespace Cocoon.Client.Tests.Serve;

/// <summary>A caller that hangs up mid-stream must not keep its job running (and billing).</summary>
public sealed class DisconnectTests(SlowSiloFixture fixture) : IClassFixture<SlowSiloFixture>
{
    [Fact]
    public async Task A_client_that_disconnects_cancels_its_job()
    {
        await using var endpoint = await ServeEndpoint.StartAsync(fixture.Client);
        var guid = "disconnect-" + Guid.NewGuid().ToString("N");
        using (var http = new HttpClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.BaseUrl + "/v1/chat/completions")
            {
                Content = new StringContent(
                    $$"""{"model":"echo","messages":[{"role":"user","content":"a long answer please"}],"max_tokens":200,"stream":true,"request_guid":"{{guid}}"}""",
                    Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.IsSuccessStatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            // Wait for a real token (the role chunk comes first), then hang up.
            var contentLines = 0;
            while (contentLines < 2 && await reader.ReadLineAsync() is { } line)
                if (line.StartsWith("data: ")) contentLines++;
            Assert.Equal(2, contentLines);
        }

        await Eventually.True(async () => (await fixture.Client.GetJobAsync(guid)) is { Phase: JobPhase.Failed, FailureCode: JobFailureCodes.Cancelled },
            TimeSpan.FromSeconds(30), () => $"job {guid} did not end cancelled");
        var job = await fixture.Client.GetJobAsync(guid);
        Assert.True(job.CompletionTokens < 200, $"the job ran to its end ({job.CompletionTokens} tokens)");
    }
}
