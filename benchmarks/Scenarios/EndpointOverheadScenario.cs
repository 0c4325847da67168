using System.Diagnostics;
using System.Net.Http.Json;
using Cocoon.Benchmarks.Load;
using Cocoon.Cli.Serve;
using Cocoon.Client;
using Cocoon.Jobs;
using Cocoon.Testing.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cocoon.Benchmarks.Scenarios;

/// <summary>
/// <c>endpoint-overhead</c> (issue 7): the same echo chat job through the OpenAI-compatible endpoint
/// (<c>POST /v1/chat/completions</c>, hosted in this process over the same client, as <c>cocoon serve</c> does) and
/// through <see cref="ICocoonClient"/> directly, in one run. Each iteration sends the job both ways back to back (the
/// order alternating), so at <c>rate</c> requests per second (open model: rate/2 iterations) each path gets half and
/// both see the same load; the endpoint's added latency is its percentile minus the client's, and the median of the
/// pairs' differences says the same with less noise from load swings.
/// </summary>
internal static class EndpointOverheadScenario
{
    private const string Echo = "echo";
    private const string Prompt = "The quick brown fox jumps over the lazy dog.";

    public static ScenarioCatalog Register(ScenarioCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Register("endpoint-overhead",
            "the same echo chat jobs through the OpenAI-compatible HTTP endpoint vs ICocoonClient directly, alternating: the endpoint's added latency. 500 requests/s",
            Create);
        return catalog;
    }

    private static ScenarioProps Create(LoadOptions options)
    {
        var duration = options.DurationOr(TimeSpan.FromSeconds(20));
        var warmUp = options.WarmUp ?? TimeSpan.FromSeconds(3);
        var maxTokens = options.GetInt("tokens", 8);
        CocoonTarget? target = null;
        WebApplication? endpoint = null;
        HttpClient? http = null;
        var direct = new LatencySample();
        var viaHttp = new LatencySample();
        var paired = new LatencySample();
        var measuredFrom = 0L;
        var body = new
        {
            model = Echo,
            messages = new[] { new { role = "user", content = Prompt } },
            max_tokens = maxTokens,
            temperature = 0,
        };

        return Scenario.Create("endpoint-overhead", async context =>
            {
                var t = target!;
                var ct = context.ScenarioCancellationToken;
                var measured = Stopwatch.GetTimestamp() >= Interlocked.Read(ref measuredFrom);

                async Task<(IResponse Step, TimeSpan Took)> ViaClient()
                {
                    var started = Stopwatch.GetTimestamp();
                    var step = await Step.Run("client", context, async () =>
                    {
                        var completion = await t.Client.CompleteAsync(new CocoonJobRequest
                        {
                            Model = Echo,
                            Messages = [new PromptMessage("user", Prompt)],
                            MaxTokens = maxTokens,
                        }, ct);
                        return Response.Ok(statusCode: "ok", sizeBytes: completion.Text.Length);
                    });
                    t.CountJob();
                    return (step, Stopwatch.GetElapsedTime(started));
                }

                async Task<(IResponse Step, TimeSpan Took)> ViaHttp()
                {
                    var started = Stopwatch.GetTimestamp();
                    var step = await Step.Run("http", context, async () =>
                    {
                        using var response = await http!.PostAsJsonAsync("v1/chat/completions", body, ct);
                        var text = await response.Content.ReadAsStringAsync(ct);
                        return response.IsSuccessStatusCode
                            ? Response.Ok(statusCode: "200", sizeBytes: text.Length)
                            : Response.Fail(((int)response.StatusCode).ToString(), text);
                    });
                    t.CountJob();
                    return (step, Stopwatch.GetElapsedTime(started));
                }

                // The same job both ways, back to back, the order alternating: a pair sees the same load.
                (IResponse Step, TimeSpan Took) c, h;
                if (context.InvocationNumber % 2 == 0)
                {
                    c = await ViaClient();
                    h = await ViaHttp();
                }
                else
                {
                    h = await ViaHttp();
                    c = await ViaClient();
                }

                if (measured && !c.Step.IsError && !h.Step.IsError)
                {
                    direct.Add(c.Took);
                    viaHttp.Add(h.Took);
                    paired.Add(h.Took - c.Took);
                }

                return c.Step.IsError ? c.Step : h.Step;
            })
            .WithInit(async init =>
            {
                target = await CocoonTarget.StartAsync(options, [Echo], 1, Echo, init.Log, init.CancellationToken);
                var url = $"http://127.0.0.1:{FreePorts.Next()}";
                endpoint = OpenAiServer.Build(target.Client, url);
                await endpoint.StartAsync(init.CancellationToken);
                http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                {
                    BaseAddress = new Uri(url + "/"),
                    Timeout = TimeSpan.FromSeconds(60),
                };
                // One request each way before the clock starts: JIT, connection pool, first routing.
                using (var probe = await http.PostAsJsonAsync("v1/chat/completions", body, init.CancellationToken))
                {
                    if (!probe.IsSuccessStatusCode)
                        throw new InvalidOperationException($"The endpoint answered {(int)probe.StatusCode}: {await probe.Content.ReadAsStringAsync(init.CancellationToken)}");
                }
                init.Log.WriteLine($"endpoint on {url}, over the client of {target.Description}");
                Interlocked.Exchange(ref measuredFrom, Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency));
                target.MarkCpuAfter(warmUp);
            })
            .WithClean(async init =>
            {
                if (target is null) return;
                init.Log.WriteLine($"endpoint overhead (HTTP endpoint minus ICocoonClient, same run, {viaHttp.Count} vs {direct.Count} measured jobs, {maxTokens} tokens each):");
                foreach (var p in new[] { 50.0, 95, 99 })
                {
                    var h = viaHttp.PercentileMicros(p);
                    var c = direct.PercentileMicros(p);
                    init.Log.WriteLine($"  p{p:0}: http {h / 1000:0.000} ms, client {c / 1000:0.000} ms, added {(h - c) / 1000:0.000} ms");
                }
                var added = (viaHttp.PercentileMicros(50) - direct.PercentileMicros(50)) / 1000;
                init.Log.WriteLine($"  added p50 {added:0.000} ms: target ≤ 1 ms {(added <= 1 ? "met" : "not met")}; median of the pairs' differences {paired.PercentileMicros(50) / 1000:0.000} ms");
                init.Log.WriteLine(target.CpuReport() + " (the endpoint runs in this process)");
                http?.Dispose();
                if (endpoint is not null) await endpoint.DisposeAsync();
                await target.DisposeAsync();
            })
            .WithWarmUpDuration(warmUp)
            // `rate` counts requests: each iteration sends two (one each way).
            .WithLoadSimulations(Simulation.Inject(Math.Max(1, options.GetInt("rate", 500) / 2), TimeSpan.FromSeconds(1), duration))
            .WithThresholds(Threshold.Parse("fail percent < 1"));
    }
}
