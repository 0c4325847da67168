using Cocoon.Cli;
using Cocoon.Cli.Hosting;
using Cocoon.Client;
using Cocoon.Payouts;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.DevChain;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Wallets;
using Cocoon.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace Cocoon.Payouts.Tests;

/// <summary>
/// The silo, a real process, is killed at each step of the payout and deposit pipelines (COCOON_TEST_CRASH_AT) while
/// the dev chain runs outside its process tree in delayed-inclusion mode; restarted, it must credit every deposit once,
/// execute every payout once on chain, and reconcile clean.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // secrets files with Unix modes, as the silo demands
public sealed class CrashTests : IAsyncLifetime
{
    private const long Ton = 1_000_000_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(150);

    private readonly string root = Path.Combine(Path.GetTempPath(), "cocoon-crash-tests-" + Guid.NewGuid().ToString("N"));
    private readonly string[] depositMnemonic = Mnemonic.Generate();
    private readonly string[] treasuryMnemonic = Mnemonic.Generate();
    private DevChainProcess chain = null!;
    private DevChainHooks hooks = null!;
    private ToncenterClient toncenter = null!;
    private CrashSilo silo = null!;

    private string Home => Path.Combine(root, "home");
    private KeyPair DepositKey => Mnemonic.ToKeyPair(depositMnemonic);
    private KeyPair TreasuryKey => Mnemonic.ToKeyPair(treasuryMnemonic);
    private string DepositAddress => new WalletV5R1(DepositKey.PublicKey.Span).Address.ToFriendly(bounceable: false);
    private string TreasuryTopUp => new HighloadWalletV3(TreasuryKey.PublicKey.Span).Address.ToFriendly(bounceable: false);

    public async Task InitializeAsync()
    {
        var secrets = Path.Combine(Home, "secrets");
        Directory.CreateDirectory(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        WriteSecret(Path.Combine(secrets, "deposit-wallet.mnemonic"), depositMnemonic);
        WriteSecret(Path.Combine(secrets, "treasury.mnemonic"), treasuryMnemonic);
        // The test owns the chain: it is no child of the silo, so it outlives every crash.
        chain = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = Path.Combine(root, "chain"), Port = DevChainProcess.FindFreeLoopbackPort() });
        hooks = new DevChainHooks(chain.BaseUrl);
        toncenter = new ToncenterClient(chain.ToncenterOptions());
        silo = new CrashSilo(Home, chain.ApiBaseUrl);
    }

    [Theory]
    [InlineData("payout.after-outbox-write")]
    [InlineData("payout.after-send")]
    [InlineData("payout.after-inclusion")]
    [InlineData("payout.before-confirmation")]
    public async Task A_payout_survives_a_crash_at_each_step_and_is_executed_exactly_once(string step)
    {
        var key = Cocoon.Security.AccountKey.Create();
        var account = key.AccountId;
        await silo.StartAsync(crashAt: step);
        await hooks.FundAsync(TreasuryTopUp, 50 * Ton); // the operator's capital pays the fees
        await hooks.FundAsync(DepositAddress, 5 * Ton, comment: account);
        await Until(async () => await Balance(key) == 5 * Ton, "the deposit is credited");

        await hooks.SetDelayedInclusionAsync(true);
        var to = new WalletV4R2(KeyPair.Generate().PublicKey.Span).Address.ToFriendly(bounceable: false);
        var requested = await WithClient(key, c => c.WithdrawAsync(2 * Ton, to, "crash-payout"));
        Assert.Equal(PayoutStatus.Queued, requested.Status);

        var crashes = 0;
        await Until(async () =>
        {
            if (silo.HasExited)
            {
                crashes++;
                await silo.StartAsync(); // restarted unarmed
            }
            if ((await hooks.GetPendingAsync()).Count > 0) await hooks.IncludeAsync();
            var view = await WithClient(key, c => c.GetWithdrawalAsync("crash-payout"));
            return view?.Status == PayoutStatus.Confirmed;
        }, $"the payout is confirmed after a crash at {step}");

        Assert.Equal(1, crashes);
        await hooks.SetDelayedInclusionAsync(false);
        Assert.Equal(2 * Ton, (await toncenter.GetAddressInformationAsync(to)).Balance); // paid once, to the nanoTON
        Assert.Equal(3 * Ton, await Balance(key));
        await AssertReconciledClean();
    }

    [Fact]
    public async Task A_deposit_credited_just_before_a_crash_is_not_credited_again_after_the_restart()
    {
        var key = Cocoon.Security.AccountKey.Create();
        var account = key.AccountId;
        await silo.StartAsync(crashAt: "deposit.after-credit");
        await hooks.FundAsync(TreasuryTopUp, 1 * Ton); // the operator covers the deposit wallet's fees; no deposit, no crash
        await hooks.FundAsync(DepositAddress, 3 * Ton, comment: account);
        await silo.WaitForCrash(TimeSpan.FromSeconds(60)); // credited, then killed before the cursor moved

        await silo.StartAsync();
        await Until(async () => await Balance(key) == 3 * Ton, "the deposit is credited");
        await AssertReconciledClean(); // the watcher re-read the transaction and booked nothing twice

        Assert.Equal(3 * Ton, await Balance(key));
        var entries = await WithClient(key, c => c.GetEntriesAsync(limit: 100));
        Assert.Single(entries, e => e.Kind == LedgerEntryKind.Deposit);
        Assert.Equal(2, silo.Starts);
    }

    private async Task AssertReconciledClean()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CocoonCli.InvokeAsync(["reconcile", "--json", "--silo-url", $"http://127.0.0.1:{silo.HttpPort}/"], new CliIO(output, error, TextReader.Null));
        Assert.True(code == ExitCodes.Success, $"reconcile exited {code}: {output}{error}");
        Assert.Contains("\"discrepancies\":0", output.ToString(), StringComparison.Ordinal);
    }

    private async Task<long> Balance(Cocoon.Security.AccountKey key) =>
        await WithClient(key, async c => (await c.GetBalanceAsync()).BalanceNano);

    /// <summary>A client session signing as <paramref name="key"/>'s account.</summary>
    private async Task<T> WithClient<T>(Cocoon.Security.AccountKey key, Func<ICocoonClient, Task<T>> call)
    {
        await using var session = await CocoonClientSession.ConnectAsync(o =>
        {
            o.Home = Home;
            o.Gateways = [silo.Gateway];
            o.AccountKey = key;
            o.ConnectTimeout = TimeSpan.FromSeconds(10);
        });
        return await call(session.Client);
    }

    private async Task Until(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                last = e; // the silo is down or restarting
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Timed out waiting until {what}.{Environment.NewLine}{silo.OutputTail}", last);
    }

    private static void WriteSecret(string path, string[] words)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.WriteLine(string.Join(' ', words));
    }

    public async Task DisposeAsync()
    {
        if (silo is not null) await silo.DisposeAsync();
        toncenter?.Dispose();
        hooks?.Dispose();
        if (chain is not null) await chain.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
