using Cocoon.Grains;
using Cocoon.Grains.Hosting;
using Cocoon.Grains.Jobs;
using Cocoon.Grains.Nodes;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Routing;
using Cocoon.Inference;
using Cocoon.Inference.Echo;
using Cocoon.Jobs;
using Cocoon.Nodes;
using Cocoon.Registry;
using Cocoon.Silo.Storage;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cocoon.Grains.Tests;

/// <summary>
/// An in-process cluster with named silo roles: silo 0 is always a core silo; the layout says what the others are.
/// Test models: <c>echo</c>, <c>echo-slow</c> (10 tokens/s, 40 tokens) and <c>flaky</c> (fails on nodes listed as broken).
/// </summary>
public sealed class CocoonCluster : IAsyncDisposable
{
    /// <summary>The default test account: derived from <see cref="TestAccounts.Default"/>.</summary>
    public static readonly string Account = TestAccounts.Default.AccountId;
    public const string Owner = "test-owner";

    public sealed record SiloSpec(SiloRole Roles, params string[] Nodes);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (SiloSpec[] Layout, HashSet<string> Broken)> Layouts = new();

    public InProcessTestCluster Cluster { get; }
    public IClusterClient Client => Cluster.Client;
    public SiloSpec[] Layout { get; }

    private CocoonCluster(InProcessTestCluster cluster, SiloSpec[] layout)
    {
        Cluster = cluster;
        Layout = layout;
    }

    /// <param name="confidential">Attested node keys and sealed payloads on every silo; null: plaintext.</param>
    /// <param name="services">Runs on every silo before AddCocoon, so its registrations win over Cocoon's TryAdd defaults.</param>
    /// <param name="node">Adjusts each node's configuration (memory budget, ...).</param>
    public static async Task<CocoonCluster> StartAsync(SiloSpec[] layout, IEnumerable<string>? brokenNodes = null, Action<JobOptions>? jobs = null, string? sqlitePath = null,
        ConfidentialOptions? confidential = null, Action<IServiceCollection>? services = null, AccountLimits? limits = null, Action<NodeConfig>? node = null)
    {
        var key = Guid.NewGuid().ToString("N");
        Layouts[key] = (layout, (brokenNodes ?? []).ToHashSet());
        var builder = new InProcessTestClusterBuilder((short)layout.Length);
        builder.Options.ClusterId = "test-" + key[..8];
        builder.ConfigureSilo((options, silo) =>
        {
            var index = options.SiloName == "Primary" ? 0 : int.Parse(options.SiloName.Split('_')[1]);
            var (specs, broken) = Layouts[key];
            var spec = specs[index];
            if (sqlitePath is null) silo.AddMemoryGrainStorage(CocoonStorage.Name);
            else silo.AddSqliteGrainStorage(CocoonStorage.Name, o => o.DatabasePath = sqlitePath);
            services?.Invoke(silo.Services);
            silo.AddCocoon(new CocoonSiloOptions
            {
                Confidential = confidential,
                Roles = spec.Roles,
                Nodes = spec.Nodes.Select(id =>
                {
                    var config = new NodeConfig
                    {
                        Id = id,
                        Models = ["echo", "echo-slow", "flaky"],
                        MaxActive = 4,
                        QueueLimit = 16,
                        OwnerAccount = Owner,
                    };
                    node?.Invoke(config);
                    return config;
                }).ToList(),
                Network = new NetworkParameters { AllowedModels = ["echo", "echo-slow", "flaky"], ReceiptEveryTokens = 4, Limits = limits ?? new AccountLimits() },
            });
            silo.Services.AddSingleton<IModelLoader>(new TestModelLoader(broken, spec.Nodes));
            silo.Services.Configure<RouterOptions>(o => o.NodeExpiry = TimeSpan.FromSeconds(3));
            silo.Services.Configure<NodeOptions>(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(250));
            silo.Services.Configure<JobOptions>(o =>
            {
                o.AttemptTimeout = TimeSpan.FromSeconds(5);
                o.NoNodeWait = TimeSpan.FromSeconds(2);
                jobs?.Invoke(o);
            });
            silo.Services.Configure<CircuitBreakerOptions>(o => o.OpenDuration = TimeSpan.FromSeconds(30));
            // KillSiloAsync stops the host in-process: with no drain time it behaves like a crash for running jobs.
            silo.Services.Configure<DrainOptions>(o => o.Timeout = TimeSpan.Zero);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var result = new CocoonCluster(cluster, layout);
        var nodes = layout.SelectMany(s => s.Nodes).ToArray();
        // Nodes heartbeat once every load was attempted, so their descriptors are final once "echo" lists them. They
        // heartbeat their models one router at a time, so on a slow host the last one ("flaky") can lag the others:
        // wait for every model each node serves (a memory budget may have left one out).
        await result.WaitForNodes("echo", nodes.Length);
        var served = await Task.WhenAll(nodes.Select(id => result.Client.GetGrain<INodeGrain>(id).Describe()));
        foreach (var model in served.SelectMany(d => d.Models).GroupBy(m => m, StringComparer.Ordinal))
            await result.WaitForNodes(model.Key, model.Count());
        return result;
    }

    /// <summary>A grain factory inside silo 0, for internal calls a client may not make (funding the test account).</summary>
    public IGrainFactory Internal => Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();

    public async Task Fund(string account, long nano, string id = "test-funding")
    {
        await Internal.GetGrain<IWalletGrain>(Accounts.Faucet).Debit(id + ":" + account, LedgerEntryKind.Transfer, nano, account, "test");
        await Internal.GetGrain<IWalletGrain>(account).Credit(id + ":" + account, LedgerEntryKind.Deposit, nano, Accounts.Faucet, "test");
    }

    public async Task WaitForNodes(string model, int count, TimeSpan? timeout = null)
    {
        await Eventually.True(async () => (await Client.GetGrain<Cocoon.Routing.IRouterGrain>(model).ListNodes()).Count == count,
            timeout ?? TimeSpan.FromSeconds(30), $"{count} nodes serving {model}");
    }

    public InProcessSiloHandle SiloHosting(string nodeId) =>
        Cluster.Silos[Array.FindIndex(Layout, s => s.Nodes.Contains(nodeId))];

    /// <summary>An unsigned job request; <see cref="Run"/> signs it for its job id with <paramref name="key"/>'s account.</summary>
    public static JobRequest Request(string model = "echo", string prompt = "alpha beta gamma", int maxTokens = 8,
        Cocoon.Security.AccountKey? key = null, TimeSpan? deadline = null) =>
        new((key ?? TestAccounts.Default).AccountId,
            new JobMetadata(model, maxTokens, System.Text.Encoding.UTF8.GetByteCount(prompt), 1000, DateTimeOffset.UtcNow + (deadline ?? TimeSpan.FromSeconds(30))),
            new JobPayload(PayloadFormat.Plain, new PromptContent { Prompt = prompt }.ToUtf8()));

    /// <summary>Signs <paramref name="request"/> for <paramref name="jobId"/> with the key of its account (a test key), fresh nonce each time.</summary>
    public static JobRequest Signed(string jobId, JobRequest request, Cocoon.Security.AccountKey? key = null) =>
        request with
        {
            Signature = Cocoon.Security.RequestSigning.Sign(key ?? KeyOf(request.AccountId), Cocoon.Security.RequestOperations.JobRun,
                Cocoon.Security.RequestContent.JobRun(jobId, request.Metadata, request.Payload), DateTimeOffset.UtcNow),
        };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Cocoon.Security.AccountKey> KnownKeys = new();

    /// <summary>Remembers a test key so requests naming its account can be signed.</summary>
    public static Cocoon.Security.AccountKey Remember(Cocoon.Security.AccountKey key) => KnownKeys.GetOrAdd(key.AccountId, key);

    private static Cocoon.Security.AccountKey KeyOf(string accountId) =>
        accountId == TestAccounts.Default.AccountId ? TestAccounts.Default
        : KnownKeys.TryGetValue(accountId, out var k) ? k
        : throw new InvalidOperationException($"No test key for {accountId}: create it with TestAccounts and CocoonCluster.Remember.");

    /// <summary>Runs a job as its account: signs the request (unless already signed) and collects the events.</summary>
    public async Task<List<JobEvent>> Run(string jobId, JobRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Signature is null) request = Signed(jobId, request);
        var events = new List<JobEvent>();
        await foreach (var e in Client.GetGrain<IJobGrain>(jobId).Run(request, cancellationToken))
            events.Add(e);
        await SharesDelivered(request.AccountId);
        return events;
    }

    /// <summary>
    /// Waits until <paramref name="account"/>'s wallet owes nothing: the shares of its settled jobs reach the workers'
    /// and commission wallets a few milliseconds after the job ends, off its path.
    /// </summary>
    public Task SharesDelivered(string account) =>
        Eventually.True(async () => (await Internal.GetGrain<IWalletGrain>(account).GetBalance()).OwedNano == 0,
            TimeSpan.FromSeconds(20), $"{account}'s wallet delivers the shares it owes");

    /// <summary>The job's status as <paramref name="key"/>'s account sees it (signed <c>job.status</c>).</summary>
    public Task<JobStatus> Status(string jobId, Cocoon.Security.AccountKey? key = null) =>
        Client.GetGrain<IJobGrain>(jobId).GetStatus(TestAccounts.Sign(key ?? TestAccounts.Default, Cocoon.Security.RequestOperations.JobStatus,
            Cocoon.Security.RequestContent.Job(jobId)));

    /// <summary>An account's balance read by the operator (unsigned, internal).</summary>
    public Task<AccountBalance> Balance(string account) => Internal.GetGrain<IWalletGrain>(account).GetBalance();

    /// <summary>Sum over every ledger account the test touched; the ledger is closed, so it must be zero.</summary>
    /// <summary>The sum of the accounts' balances once none of them owes a share (money in transit is in no balance).</summary>
    public async Task<long> LedgerSum(IEnumerable<string> accounts)
    {
        var distinct = accounts.Distinct().ToArray();
        foreach (var a in distinct) await SharesDelivered(a);
        long sum = 0;
        foreach (var a in distinct)
            sum += (await Internal.GetGrain<IWalletGrain>(a).GetBalance()).BalanceNano;
        return sum;
    }

    public static IEnumerable<string> SystemAccounts(int shards = 16) =>
        new[] { Accounts.Faucet, Owner }.Concat(Enumerable.Range(0, shards).Select(Accounts.Commission));

    public async ValueTask DisposeAsync()
    {
        try { await Cluster.StopAllSilosAsync(); } catch { }
        await Cluster.DisposeAsync();
    }

    private sealed class TestModelLoader(HashSet<string> broken, string[] nodesOnThisSilo) : IModelLoader
    {
        public bool CanLoad(string model) => model is "echo-slow" or "flaky";

        public long EstimateBytes(string model) => 1 << 20;

        public Task<IInferenceSession> LoadAsync(string model, CancellationToken cancellationToken) => Task.FromResult<IInferenceSession>(model switch
        {
            "echo-slow" => new EchoSession(new EchoOptions { TokensPerJob = 40, TokensPerSecond = 10 }),
            _ when nodesOnThisSilo.Any(broken.Contains) => new BrokenSession(model),
            _ => new EchoSession(new EchoOptions()),
        });
    }

    /// <summary>A model that fails every generation: what a node with a dead GPU looks like.</summary>
    private sealed class BrokenSession(string model) : IInferenceSession
    {
        public string Model => model;
        public int CountPromptTokens(GenerationRequest request) => 1;
        public async IAsyncEnumerable<GenerationStep> GenerateAsync(GenerationRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw new IOException("CUDA error: device lost");
#pragma warning disable CS0162
            yield break;
#pragma warning restore CS0162
        }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Timed out after {timeout} waiting for {what}.", last);
    }
}
