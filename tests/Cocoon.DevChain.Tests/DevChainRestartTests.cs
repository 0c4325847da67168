using Cocoon.Ton.DevChain;
using Cocoon.Ton.Toncenter;

namespace Cocoon.DevChain.Tests;

public sealed class DevChainRestartTests
{
    [Fact]
    public async Task A_restart_with_the_same_data_directory_keeps_balances_and_history()
    {
        var dataDirectory = TestPaths.NewTempDirectory();
        var address = TestPaths.NewAddress();
        try
        {
            IReadOnlyList<ToncenterTransaction> historyBefore;
            AddressInformation infoBefore;
            MasterchainInfo masterBefore;
            FaucetInfo faucetBefore;
            await using (var chain = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = dataDirectory }))
            using (var toncenter = new ToncenterClient(chain.ToncenterOptions()))
            using (var hooks = new DevChainHooks(chain.BaseUrl))
            {
                await hooks.FundAsync(address, 3_000_000_000, "first");
                await hooks.FundAsync(address, 1_000_000_000, "second");
                historyBefore = await toncenter.GetTransactionsAsync(address, limit: 10);
                infoBefore = await toncenter.GetAddressInformationAsync(address);
                masterBefore = await toncenter.GetMasterchainInfoAsync();
                faucetBefore = await hooks.GetFaucetAsync();
            }

            await using (var chain = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = dataDirectory }))
            using (var toncenter = new ToncenterClient(chain.ToncenterOptions()))
            using (var hooks = new DevChainHooks(chain.BaseUrl))
            {
                var historyAfter = await toncenter.GetTransactionsAsync(address, limit: 10);
                Assert.Equal(historyBefore, historyAfter, TransactionEquality.Instance);
                Assert.Equal(infoBefore.Balance, (await toncenter.GetAddressInformationAsync(address)).Balance);
                // Two deposits, less the storage fees the account paid between them.
                Assert.Equal(4_000_000_000 - historyBefore.Sum(t => t.Fee), infoBefore.Balance);
                Assert.Equal(masterBefore.Last, (await toncenter.GetMasterchainInfoAsync()).Last);
                Assert.Equal(faucetBefore, await hooks.GetFaucetAsync());

                // The restored chain goes on where it stopped.
                var third = await hooks.FundAsync(address, 1_000_000_000, "third");
                Assert.True(third.TransactionId!.Lt > historyBefore[0].TransactionId.Lt);
                Assert.True(third.Seqno > masterBefore.Last.Seqno);
                Assert.Equal(["third", "second", "first"], (await toncenter.GetTransactionsAsync(address)).Select(t => t.InMessage!.Comment));
            }
        }
        finally
        {
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }

    [Fact]
    public async Task Stopping_asks_the_chain_to_save_and_exit()
    {
        var dataDirectory = TestPaths.NewTempDirectory();
        try
        {
            var chain = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = dataDirectory });

            await chain.StopAsync();

            Assert.True(chain.HasExited);
            Assert.Equal(0, chain.ExitCode);
            Assert.Contains("SIGTERM, saving and stopping", chain.RecentOutput());
            Assert.True(File.Exists(Path.Combine(dataDirectory, "devchain-state.json")));
        }
        finally
        {
            TestPaths.DeleteQuietly(dataDirectory);
        }
    }

    [Fact]
    public async Task A_missing_node_executable_says_what_to_install()
    {
        var error = await Assert.ThrowsAsync<DevChainException>(() => DevChainProcess.StartAsync(new DevChainOptions
        {
            DataDirectory = TestPaths.NewTempDirectory(),
            NodeExecutable = "/nonexistent/node-" + Guid.NewGuid().ToString("N"),
        }));

        Assert.Contains("Node.js 20 is required", error.Message);
    }

    [Fact]
    public void The_dev_chain_folder_is_found_from_the_test_binaries()
    {
        var directory = DevChainProcess.FindDevChainDirectory();

        Assert.True(File.Exists(Path.Combine(directory, "server.js")));
        Assert.True(File.Exists(Path.Combine(directory, "package-lock.json")));
    }

    [Fact]
    public void A_free_loopback_port_can_be_bound()
    {
        var port = DevChainProcess.FindFreeLoopbackPort();

        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();
        Assert.InRange(port, 1, 65535);
    }

    // Records with list members compare lists by reference; compare what a watcher relies on instead.
    private sealed class TransactionEquality : IEqualityComparer<ToncenterTransaction>
    {
        public static readonly TransactionEquality Instance = new();

        public bool Equals(ToncenterTransaction? x, ToncenterTransaction? y) =>
            x is not null && y is not null
            && x.TransactionId == y.TransactionId
            && x.Data == y.Data
            && x.Utime == y.Utime
            && x.Fee == y.Fee
            && x.InMessage == y.InMessage
            && x.OutMessages.SequenceEqual(y.OutMessages);

        public int GetHashCode(ToncenterTransaction obj) => obj.TransactionId.GetHashCode();
    }
}
