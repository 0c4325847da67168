using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Jobs;
using Cocoon.Nodes;
using Cocoon.Registry;
using Cocoon.Routing;
using Cocoon.Security;
using Cocoon.Wallets;

namespace Cocoon.Grains.Tests;

/// <summary>
/// A hostile raw Orleans client (not the client library) tries the internal surface, forged, tampered, replayed and
/// stale signatures, and other accounts' jobs and balances; every attempt is refused with a typed error and changes nothing.
/// </summary>
[Collection(nameof(SharedCluster))]
public sealed class SecurityTests(SharedClusterFixture fixture)
{
    private CocoonCluster C => fixture.Cocoon;
    private static string Account => CocoonCluster.Account;

    [Fact]
    public async Task Internal_methods_are_refused_from_client_connections_and_change_nothing()
    {
        var wallet = C.Client.GetGrain<IWalletGrain>(Account);
        var before = await C.Balance(Account);

        await Refused("credit", () => wallet.Credit("steal-1", LedgerEntryKind.Deposit, 1_000_000, "attacker", "free money"));
        await Refused("debit", () => C.Client.GetGrain<IWalletGrain>(CocoonCluster.Owner).Debit("steal-2", LedgerEntryKind.Payout, 1, "attacker", ""));
        await Refused("capture", () => wallet.Capture("some-job", 1, "attacker"));
        await Refused("reserve", () => wallet.Reserve("some-job", 1, DateTimeOffset.UtcNow.AddMinutes(1)));
        await Refused("release", () => wallet.Release("some-job"));
        await Refused("getbalance", () => wallet.GetBalance());
        await Refused("getentries", () => wallet.GetEntries(10));
        await Refused("gettotals", () => wallet.GetTotals());
        await Refused("update", () => C.Client.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Update(new NetworkParameters { Version = 2, PricePerToken = 0, WorkerFeePerToken = 0 }));
        await Refused("heartbeat", () => C.Client.GetGrain<IRouterGrain>("echo").Heartbeat(
            new NodeDescriptor("fake-node", ["echo"], 1, 100, "local", "attacker"), new NodeLoad(0, 0, 0)));
        await Refused("execute", async () =>
        {
            await foreach (var _ in C.Client.GetGrain<INodeGrain>("w1").Execute("j", Account, CocoonCluster.Request().Metadata, CocoonCluster.Request().Payload)) { }
        });

        Assert.Equal(before.BalanceNano, (await C.Balance(Account)).BalanceNano);
        Assert.Equal(1, (await C.Client.GetGrain<IRegistryGrain>(IRegistryGrain.Key).Get()).Version);
        Assert.DoesNotContain(await C.Client.GetGrain<IRouterGrain>("echo").ListNodes(), n => n.Node.NodeId == "fake-node");
        // The public surface still works for the same client.
        Assert.IsType<JobCompleted>((await C.Run(JobIds.New(), CocoonCluster.Request()))[^1]);
    }

    [Fact]
    public async Task Spending_another_accounts_balance_with_a_forged_signature_is_refused()
    {
        var attacker = TestAccounts.Named("attacker");
        var before = await C.Balance(Account);
        var request = CocoonCluster.Request(model: "echo", maxTokens: 8); // names the victim's account

        // Signed by the attacker's own key: its public key does not derive the victim's account.
        var id1 = JobIds.New();
        var own = await Assert.ThrowsAsync<SignatureRejectedException>(() => C.Run(id1, CocoonCluster.Signed(id1, request, attacker)));
        Assert.Contains("does not derive", own.Reason);

        // The victim's public key with a signature the attacker made up.
        var id2 = JobIds.New();
        var real = CocoonCluster.Signed(id2, request);
        var forged = real with { Signature = real.Signature! with { Signature = attacker.Sign(new byte[] { 1, 2, 3 }) } };
        var bad = await Assert.ThrowsAsync<SignatureRejectedException>(() => C.Run(id2, forged));
        Assert.Equal("signature_rejected", bad.Code);

        // No signature at all.
        var id3 = JobIds.New();
        await Assert.ThrowsAsync<SignatureRejectedException>(async () =>
        {
            await foreach (var _ in C.Client.GetGrain<IJobGrain>(id3).Run(request)) { }
        });

        // A valid signature, then the content changed (more tokens, another job id): the digest no longer matches.
        var id4 = JobIds.New();
        var signed = CocoonCluster.Signed(id4, request);
        await Assert.ThrowsAsync<SignatureRejectedException>(() => C.Run(id4, signed with { Metadata = signed.Metadata with { MaxTokens = 16 } }));
        await Assert.ThrowsAsync<SignatureRejectedException>(() => C.Run(JobIds.New(), signed));

        Assert.Equal(before.BalanceNano, (await C.Balance(Account)).BalanceNano);
        Assert.Equal(0, (await C.Balance(Account)).ReservedNano);
        foreach (var id in new[] { id1, id2, id3, id4 })
            Assert.Equal(JobPhase.Unknown, (await C.Status(id)).Phase);
    }

    [Fact]
    public async Task A_captured_signed_request_cannot_be_replayed()
    {
        var id = JobIds.New();
        var signed = CocoonCluster.Signed(id, CocoonCluster.Request(model: "echo-slow", maxTokens: 6));
        var run = C.Run(id, signed);
        await Eventually.True(async () => (await C.Status(id)).Phase != JobPhase.Unknown, TimeSpan.FromSeconds(10), "the job to start");
        var replay = await Assert.ThrowsAsync<RequestReplayedException>(() => C.Run(id, signed));
        Assert.Equal("request_replayed", replay.Code);
        var completed = Assert.IsType<JobCompleted>((await run)[^1]);

        // The same read twice.
        var status = TestAccounts.Sign(TestAccounts.Default, RequestOperations.JobStatus, RequestContent.Job(id));
        await C.Client.GetGrain<IJobGrain>(id).GetStatus(status);
        await Assert.ThrowsAsync<RequestReplayedException>(() => C.Client.GetGrain<IJobGrain>(id).GetStatus(status));
        var balance = TestAccounts.Sign(TestAccounts.Default, RequestOperations.WalletBalance, RequestContent.Balance());
        await C.Client.GetGrain<IWalletGrain>(Account).ReadBalance(balance);
        await Assert.ThrowsAsync<RequestReplayedException>(() => C.Client.GetGrain<IWalletGrain>(Account).ReadBalance(balance));

        // Billed once.
        var entries = await C.Internal.GetGrain<IWalletGrain>(Account).GetEntries(1000);
        Assert.Equal(-completed.CostNano, entries.Where(e => e.ExternalId == id).Sum(e => e.AmountNano));
    }

    [Fact]
    public async Task Stale_and_future_timestamps_are_refused()
    {
        var before = await C.Balance(Account);
        foreach (var skew in new[] { TimeSpan.FromMinutes(-10), TimeSpan.FromMinutes(10) })
        {
            var id = JobIds.New();
            var request = CocoonCluster.Request();
            var at = DateTimeOffset.UtcNow + skew;
            var stale = request with
            {
                Signature = RequestSigning.Sign(TestAccounts.Default, RequestOperations.JobRun, RequestContent.JobRun(id, request.Metadata, request.Payload), at),
            };
            var e = await Assert.ThrowsAsync<StaleRequestException>(() => C.Run(id, stale));
            Assert.Equal("stale_request", e.Code);
            await Assert.ThrowsAsync<StaleRequestException>(() => C.Client.GetGrain<IWalletGrain>(Account).ReadBalance(
                TestAccounts.Sign(TestAccounts.Default, RequestOperations.WalletBalance, RequestContent.Balance(), at)));
            Assert.Equal(JobPhase.Unknown, (await C.Status(id)).Phase);
        }
        Assert.Equal(before.BalanceNano, (await C.Balance(Account)).BalanceNano);
    }

    [Fact]
    public async Task An_account_reads_only_its_own_balance_and_entries()
    {
        var wallet = C.Client.GetGrain<IWalletGrain>(Account);
        var mine = await wallet.ReadBalance(TestAccounts.Sign(TestAccounts.Default, RequestOperations.WalletBalance, RequestContent.Balance()));
        Assert.Equal(Account, mine.AccountId);
        Assert.True(mine.BalanceNano > 0);
        Assert.NotEmpty(await wallet.ReadEntries(TestAccounts.Sign(TestAccounts.Default, RequestOperations.WalletEntries, RequestContent.Entries(5)), 5));

        var intruder = TestAccounts.Named("reader");
        var e = await Assert.ThrowsAsync<SignatureRejectedException>(() =>
            wallet.ReadBalance(TestAccounts.Sign(intruder, RequestOperations.WalletBalance, RequestContent.Balance())));
        Assert.Contains("does not derive", e.Reason);
        await Assert.ThrowsAsync<SignatureRejectedException>(() =>
            wallet.ReadEntries(TestAccounts.Sign(intruder, RequestOperations.WalletEntries, RequestContent.Entries(5)), 5));
        // A signature for 5 entries does not read 1000.
        await Assert.ThrowsAsync<SignatureRejectedException>(() =>
            wallet.ReadEntries(TestAccounts.Sign(TestAccounts.Default, RequestOperations.WalletEntries, RequestContent.Entries(5)), 1000));
        // Key-less accounts (system, node owners) are not readable from a client at all.
        await Assert.ThrowsAsync<SignatureRejectedException>(() => C.Client.GetGrain<IWalletGrain>(Accounts.Faucet)
            .ReadBalance(TestAccounts.Sign(intruder, RequestOperations.WalletBalance, RequestContent.Balance())));
    }

    [Fact]
    public async Task Reservations_record_the_job_requests_signature_and_every_entry_its_actor()
    {
        var id = JobIds.New();
        var signed = CocoonCluster.Signed(id, CocoonCluster.Request());
        await C.Run(id, signed);
        var entries = (await C.Internal.GetGrain<IWalletGrain>(Account).GetEntries(1000)).Where(e => e.ExternalId == id).ToArray();
        var reserve = Assert.Single(entries, e => e.Kind == LedgerEntryKind.Reserve);
        Assert.NotNull(reserve.Signature);
        Assert.Equal(signed.Signature!.Signature, reserve.Signature!.Signature);
        Assert.Null(RequestSigning.Check(reserve.Signature, RequestOperations.JobRun, RequestContent.JobRun(id, signed.Metadata, signed.Payload), Account));
        Assert.All(entries, e => Assert.Contains(id, e.Actor));
        // The worker's share is credited by the client's wallet, which queued it with the capture.
        var earn = (await C.Internal.GetGrain<IWalletGrain>(CocoonCluster.Owner).GetEntries(1000)).Single(e => e.ExternalId == id && e.Kind == LedgerEntryKind.Earn);
        Assert.Equal((Account, $"wallet/{Account}"), (earn.Counterparty, earn.Actor));
    }

    private static async Task Refused(string method, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<CallRefusedException>(call);
        Assert.Contains(method, e.Method.Replace(".", ""), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("call_refused", e.Code);
    }
}
