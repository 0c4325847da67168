using System.Diagnostics;
using System.Globalization;

namespace Cocoon.Benchmarks.Load.SelfTest;

/// <summary>
/// Scenarios that need no cluster, so the harness can be demonstrated and tested anywhere. Each takes its knobs
/// from <c>--set</c> (e.g. <c>--set delayMs=20</c>) and defaults to a short open-model run.
/// </summary>
public static class SelfTestScenarios
{
    public const string Delay = "selftest-delay";
    public const string Http = "selftest-http";
    public const string Llm = "selftest-llm";

    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    public static void Register(ScenarioCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Register(Delay, "Task.Delay target, no network (--set delayMs=10 failEvery=0; 50 rps)", CreateDelay);
        catalog.Register(Http, "in-process Kestrel on 127.0.0.1 hit by HttpClient (--set delayMs=5 bytes=256; 100 rps)", CreateHttp);
        catalog.Register(Llm, "simulated token stream with TTFT, ITL and goodput (--set ttftMs=50 itlMs=5 tokens=32; 10 rps)", CreateLlm);
    }

    /// <summary>Each iteration waits delayMs; every failEvery-th iteration fails (0: none).</summary>
    public static ScenarioProps CreateDelay(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, options.GetInt("delayMs", 10)));
        var failEvery = options.GetInt("failEvery", 0);
        return Scenario.Create(Delay, async context =>
            {
                var step = await Step.Run("delay", context, async () =>
                {
                    await Task.Delay(delay, context.ScenarioCancellationToken).ConfigureAwait(false);
                    return failEvery > 0 && (context.InvocationNumber + 1) % failEvery == 0
                        ? Response.Fail("injected", $"every {failEvery}th iteration fails")
                        : Response.Ok(statusCode: "ok", sizeBytes: 64);
                }).ConfigureAwait(false);
                return step;
            })
            .WithLoadSimulations(Simulation.Inject(50, TimeSpan.FromSeconds(1), options.DurationOr(DefaultDuration)));
    }

    /// <summary>GET against an in-process Kestrel server that answers after delayMs with the given bytes.</summary>
    public static ScenarioProps CreateHttp(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var delayMs = options.GetInt("delayMs", 5);
        var bytes = options.GetInt("bytes", 256);
        var server = new SelfTestHttpServer();
        HttpClient? client = null;
        var path = string.Create(CultureInfo.InvariantCulture, $"delay?ms={delayMs}&bytes={bytes}");

        return Scenario.Create(Http, async context =>
            {
                var step = await Step.Run("get", context, async () =>
                {
                    using var response = await client!.GetAsync(path, context.ScenarioCancellationToken).ConfigureAwait(false);
                    var body = await response.Content.ReadAsByteArrayAsync(context.ScenarioCancellationToken).ConfigureAwait(false);
                    var code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                    return response.IsSuccessStatusCode
                        ? Response.Ok(statusCode: code, sizeBytes: body.Length)
                        : Response.Fail(statusCode: code, message: response.ReasonPhrase ?? "", sizeBytes: body.Length);
                }).ConfigureAwait(false);
                return step;
            })
            .WithInit(async context =>
            {
                var address = await server.StartAsync(context.CancellationToken).ConfigureAwait(false);
                client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                {
                    BaseAddress = address,
                    Timeout = TimeSpan.FromSeconds(30),
                };
                await context.Log.WriteLineAsync($"{Http}: target listening on {address}").ConfigureAwait(false);
            })
            .WithClean(async _ =>
            {
                client?.Dispose();
                await server.DisposeAsync().ConfigureAwait(false);
            })
            .WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), options.DurationOr(DefaultDuration)));
    }

    /// <summary>A fake model: the first token after ttftMs, then one every itlMs; reports token timings both ways.</summary>
    public static ScenarioProps CreateLlm(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ttft = TimeSpan.FromMilliseconds(options.GetInt("ttftMs", 50));
        var itl = TimeSpan.FromMilliseconds(options.GetInt("itlMs", 5));
        var tokens = Math.Max(1, options.GetInt("tokens", 32));
        return Scenario.Create(Llm, async context =>
            {
                var step = await Step.Run("generate", context, async () =>
                {
                    var clock = Stopwatch.StartNew();
                    await Task.Delay(ttft, context.ScenarioCancellationToken).ConfigureAwait(false);
                    context.RecordTokens();
                    var firstTokenAt = clock.Elapsed;
                    var gaps = new List<TimeSpan>(tokens - 1);
                    var previous = firstTokenAt;
                    for (var i = 1; i < tokens; i++)
                    {
                        await Task.Delay(itl, context.ScenarioCancellationToken).ConfigureAwait(false);
                        context.RecordTokens();
                        var now = clock.Elapsed;
                        gaps.Add(now - previous);
                        previous = now;
                    }

                    return Response.Ok(statusCode: "ok", sizeBytes: tokens * 4).WithTokens(firstTokenAt, tokens, gaps);
                }).ConfigureAwait(false);
                return step;
            })
            .WithSlo(new Slo(TimeToFirstToken: TimeSpan.FromMilliseconds(200), TimePerOutputToken: TimeSpan.FromMilliseconds(20)))
            .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), options.DurationOr(DefaultDuration)));
    }
}
