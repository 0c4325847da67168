using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Cocoon.Client;
using Cocoon.Confidential.Keys;
using Cocoon.Confidential.Receipts;
using Cocoon.Grains.Nodes;
using Cocoon.Grains.Placement;
using Cocoon.Jobs;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageReceipt = Cocoon.Jobs.UsageReceipt;

namespace Cocoon.Grains.Tests;

/// <summary>
/// The confidential job path end to end: the client seals to attested nodes (simulated TEE, dev CA in a temp data
/// directory), the node opens and seals its output back, signs receipts, and the core sees neither prompt nor output.
/// </summary>
public sealed class ConfidentialTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("cocoon-conf-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Sealed_job_completes_and_only_the_client_can_read_its_tokens()
    {
        await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Worker, "n1", "n2")],
            confidential: new ConfidentialOptions { Home = _home });
        await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
        var nodes = await c.Client.GetGrain<Cocoon.Routing.IRouterGrain>("echo").ListNodes();
        Assert.All(nodes, n => Assert.NotEmpty(n.Node.Evidence));
        Assert.True(File.Exists(Path.Combine(_home, "nodes", "n1.key")));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_home, "nodes", "n1.key")));

        var (request, opener) = await Seal(c, "conf-1", "alpha beta gamma");
        Assert.Equal(PayloadFormat.Sealed, request.Payload.Format);
        var events = await c.Run("conf-1", request);

        Assert.DoesNotContain(events, e => e is JobTokenEvent);
        var text = Open(events, opener);
        Assert.Equal("alpha beta gamma alpha beta gamma alpha beta", text);
        var completed = Assert.IsType<JobCompleted>(events[^1]);
        Assert.True(completed.CostNano > 0);
        // Every receipt the client saw carries the node's signature, which verifies against its attested key.
        var node = nodes.Single(n => n.Node.NodeId == Assert.IsType<JobAccepted>(events[0]).NodeId).Node;
        Assert.All(events.OfType<JobUsageEvent>(), u =>
            Assert.True(UsageReceiptSigner.Verify(ReceiptEncoding.ToConfidential(u.Receipt), u.Receipt.Signature, node.SigningKey)));

        // The plaintext path is closed on a confidential network: the node refuses it.
        var plain = await c.Run("conf-plain", CocoonCluster.Request());
        Assert.Equal(JobFailureCodes.InvalidContent, Assert.IsType<JobFailed>(plain[^1]).Code);

        // A sealed payload replayed under another job id does not open (the job id is in its associated data).
        var replay = await c.Run("conf-replay", request);
        Assert.Equal(JobFailureCodes.InvalidContent, Assert.IsType<JobFailed>(replay[^1]).Code);
    }

    [Fact]
    public async Task Receipts_signed_with_a_key_other_than_the_attested_one_are_refused_and_nothing_is_charged()
    {
        await using var c = await CocoonCluster.StartAsync([new(SiloRole.Core | SiloRole.Worker, "f1")],
            confidential: new ConfidentialOptions { Home = _home },
            services: s => s.AddSingleton<INodeCrypto>(sp => new ForgingNodeCrypto(new AttestedNodeCrypto(new ConfidentialOptions { Home = _home }, TimeProvider.System))));
        const long funded = 1_000_000_000_000;
        await c.Fund(CocoonCluster.Account, funded);

        var (request, _) = await Seal(c, "forged-1", "alpha beta gamma");
        var events = await c.Run("forged-1", request);

        var failed = Assert.IsType<JobFailed>(events[^1]);
        Assert.Equal(JobFailureCodes.NodeFailed, failed.Code);
        Assert.Equal(0, failed.CostNano);
        Assert.DoesNotContain(events, e => e is JobUsageEvent);
        var balance = await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Account).GetBalance();
        Assert.Equal(funded, balance.BalanceNano);
        Assert.Equal(0, (await c.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetBalance()).BalanceNano);
    }

    [Fact]
    public async Task Canary_in_a_sealed_prompt_reaches_no_stored_byte_no_log_line_and_no_trace_tag()
    {
        var canary = "CANARY" + Guid.NewGuid().ToString("N");
        var logs = new CapturingLoggerProvider();
        var spans = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                spans.Add($"{a.Source.Name} {a.DisplayName} {a.StatusDescription}");
                foreach (var tag in a.TagObjects) spans.Add($"{tag.Key}={tag.Value}");
                foreach (var e in a.Events)
                {
                    spans.Add(e.Name);
                    foreach (var tag in e.Tags) spans.Add($"{tag.Key}={tag.Value}");
                }
                foreach (var item in a.Baggage) spans.Add($"{item.Key}={item.Value}");
            },
        };
        ActivitySource.AddActivityListener(listener);
        var db = Path.Combine(_home, "grains.db");
        var jobId = "canary-" + Guid.NewGuid().ToString("N")[..8];
        var prompt = $"tell me about {canary} please";
        string text;
        List<JobEvent> events;
        await using (var c = await CocoonCluster.StartAsync([new(SiloRole.Core), new(SiloRole.Worker, "c1")], sqlitePath: db,
            confidential: new ConfidentialOptions { Home = _home },
            services: s =>
            {
                s.AddSingleton<ILoggerProvider>(logs);
                s.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Trace);
            }))
        {
            await c.Fund(CocoonCluster.Account, 1_000_000_000_000);
            var (request, opener) = await Seal(c, jobId, prompt);
            events = await c.Run(jobId, request);
            text = Open(events, opener);
            Assert.IsType<JobCompleted>(events[^1]);
            // Settled and stored: read the job back so its state is in the store before the silos stop.
            Assert.Equal(JobPhase.Completed, (await c.Status(jobId)).Phase);
        }

        // Positive controls: the output did carry the canary, and the captures did see this job.
        Assert.Contains(canary, text);
        var stored = Directory.GetFiles(_home, "grains.db*").Select(File.ReadAllBytes).ToArray();
        Assert.Contains(stored, bytes => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(jobId)) >= 0);
        Assert.NotEmpty(logs.Lines);
        Assert.Contains(spans, s => s == $"cocoon.job.id={jobId}");

        foreach (var needle in new[] { Encoding.UTF8.GetBytes(canary), Encoding.Unicode.GetBytes(canary) })
            Assert.All(stored, bytes => Assert.True(bytes.AsSpan().IndexOf(needle) < 0, "the canary is in the grain store"));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(canary, StringComparison.Ordinal));
        Assert.DoesNotContain(spans, s => s.Contains(canary, StringComparison.Ordinal));
    }

    /// <summary>Seals like a client does: attested candidates from the router, verified against the data directory's dev CA.</summary>
    private async Task<(JobRequest Request, IJobOutputOpener Opener)> Seal(CocoonCluster c, string jobId, string prompt)
    {
        var options = new CocoonClientOptions { Home = _home, Sealing = SealingMode.Required };
        var verifier = ClientAttestation.CreateVerifier(new CocoonConnection(_home, [], "test", "test", CocoonCluster.Account), options, TimeProvider.System);
        var sealer = new AttestedPayloadSealer(c.Client, verifier, Options.Create(options), Path.Combine(_home, "sealed-jobs"));
        var request = CocoonCluster.Request(prompt: prompt);
        var sealedPayload = await sealer.SealAsync(
            new JobSealingContext(jobId, request.Metadata, new PromptContent { Prompt = prompt }, []) { AccountId = request.AccountId }, default);
        return (request with { Payload = sealedPayload.Payload }, sealedPayload.Opener!);
    }

    private static string Open(List<JobEvent> events, IJobOutputOpener opener)
    {
        var text = new StringBuilder();
        foreach (var e in events.OfType<JobSealedChunkEvent>())
            foreach (var token in opener.Open(e.NodeId, e.Chunk))
                text.Append(token.Text);
        opener.Complete();
        return text.ToString();
    }

    /// <summary>A node whose receipts are signed with a key that its evidence does not attest.</summary>
    private sealed class ForgingNodeCrypto(AttestedNodeCrypto inner) : INodeCrypto
    {
        private readonly NodeKeys _wrong = NodeKeys.Generate();

        public NodeDescriptorKeys Describe(string nodeId) => inner.Describe(nodeId);

        public UsageReceipt Sign(string nodeId, UsageReceipt receipt) =>
            receipt with { Signature = UsageReceiptSigner.Sign(ReceiptEncoding.ToConfidential(receipt), _wrong) };

        public (PromptContent Content, IOutputSealer? Sealer) Open(string nodeId, string jobId, JobMetadata metadata, string accountId, JobPayload payload) =>
            inner.Open(nodeId, jobId, metadata, accountId, payload);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                lines.Enqueue($"{category} scope {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new StringBuilder($"{category} {logLevel} {formatter(state, exception)} {exception}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                    foreach (var (key, value) in values) line.Append($" {key}={value}");
                lines.Enqueue(line.ToString());
            }
        }
    }
}
