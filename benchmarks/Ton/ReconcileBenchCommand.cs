using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Cocoon.Benchmarks.Scenarios;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.DevChain;
using Cocoon.Ton.Messages;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Wallets;

namespace Cocoon.Benchmarks.Ton;

/// <summary>
/// <c>reconcile-bench</c>: time to reconcile N deposit transactions against the dev chain. Seeds the chain with N
/// deposits (a v5r1 wallet sending 250 commented transfers per external) spread over some accounts, starts the real
/// silo (core role) watching it, and times <c>GET /admin/reconcile</c> twice: the first also books every deposit (catch-up),
/// the second only reads the whole history again and checks every account (steady state). Prints one JSON object.
/// </summary>
public static class ReconcileBenchCommand
{
    private const long DepositNano = 10_000_000;
    private const int PerExternal = 250;

    public static Command Create()
    {
        var transactions = new Option<int>("--transactions") { Description = "Deposits to seed.", DefaultValueFactory = _ => 10_000 };
        var accounts = new Option<int>("--accounts") { Description = "Accounts they credit.", DefaultValueFactory = _ => 100 };
        var command = new Command("reconcile-bench", "Time to reconcile N deposit transactions against the dev chain.") { transactions, accounts };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(transactions);
            var accountCount = parse.GetValue(accounts);
            var root = Path.Combine(Path.GetTempPath(), "cocoon-reconcile-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(root);
            try
            {
                var depositWords = Mnemonic.Generate();
                var treasuryWords = Mnemonic.Generate();
                WriteSecret(Path.Combine(root, "deposit.mnemonic"), depositWords);
                WriteSecret(Path.Combine(root, "treasury.mnemonic"), treasuryWords);
                var deposit = new WalletV5R1(Mnemonic.ToKeyPair(depositWords).PublicKey.Span).Address;
                var treasury = new HighloadWalletV3(Mnemonic.ToKeyPair(treasuryWords).PublicKey.Span).Address;

                await using var chain = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = Path.Combine(root, "chain"), Port = DevChainProcess.FindFreeLoopbackPort() }, cancellationToken);
                using var hooks = new DevChainHooks(chain.BaseUrl);
                // One external carries 250 transfers: the emulator takes a while to run them.
                var options = chain.ToncenterOptions() with { Timeout = TimeSpan.FromMinutes(5) };
                using var toncenter = new ToncenterClient(options);
                var seeding = Stopwatch.StartNew();
                var senderKey = KeyPair.Generate();
                var sender = new WalletV5R1(senderKey.PublicKey.Span);
                await hooks.FundAsync(sender.Address.ToFriendly(bounceable: false), n * DepositNano + 100_000_000_000, cancellationToken: cancellationToken);
                await hooks.FundAsync(treasury.ToFriendly(bounceable: false), 10_000_000_000, cancellationToken: cancellationToken); // operator capital covers fees
                var to = TonAddress.Parse(deposit.ToFriendly(bounceable: false));
                for (uint seqno = 0; seqno * PerExternal < n; seqno++)
                {
                    var count = (int)Math.Min(PerExternal, n - seqno * PerExternal);
                    var messages = Enumerable.Range(0, count)
                        .Select(i => InternalMessage.WithComment(to, DepositNano, $"bench-{(seqno * PerExternal + i) % accountCount}", bounce: false)).ToList();
                    var validUntil = (uint)DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
                    try
                    {
                        await toncenter.SendBocReturnHashAsync(sender.CreateTransfer(senderKey, seqno, validUntil, messages).ToBoc(), cancellationToken);
                    }
                    catch (ToncenterException)
                    {
                        // A slow first attempt may have run before its retry was refused: the seqno tells.
                        var info = await toncenter.GetWalletInformationAsync(sender.Address.ToFriendly(bounceable: false), cancellationToken);
                        if ((info.Seqno ?? 0) <= seqno) throw;
                    }
                }
                var seeded = seeding.Elapsed;

                await using var silo = await Cocoon.Testing.Hosting.SiloProcess.StartAsync(
                [
                    "--Cocoon:Roles=core",
                    "--Cocoon:Storage=memory",
                    "--Cocoon:DevFundingNano=0",
                    $"--Cocoon:Chain:Toncenter:Endpoint={chain.ApiBaseUrl}",
                    $"--Cocoon:Chain:MnemonicFile={Path.Combine(root, "deposit.mnemonic")}",
                    $"--Cocoon:Treasury:MnemonicFile={Path.Combine(root, "treasury.mnemonic")}",
                    "--Cocoon:Chain:PollSeconds=3600",
                    "--Cocoon:Treasury:PollSeconds=3600",
                ], TimeSpan.FromMinutes(2), "cocoon-bench-", cancellationToken);
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}/"), Timeout = TimeSpan.FromMinutes(30) };
                var (catchUp, first) = await Reconcile(http, cancellationToken);
                var (steady, second) = await Reconcile(http, cancellationToken);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    transactions = n,
                    accounts = accountCount,
                    seeding_s = Math.Round(seeded.TotalSeconds, 1),
                    catch_up_ms = Math.Round(catchUp.TotalMilliseconds),
                    reconcile_ms = Math.Round(steady.TotalMilliseconds),
                    reconcile_reported_ms = Math.Round(second.GetProperty("elapsed_ms").GetDouble()),
                    transactions_read = second.GetProperty("transactions_read").GetInt32(),
                    accounts_checked = second.GetProperty("accounts").GetArrayLength(),
                    discrepancies_first = first.GetProperty("discrepancies").GetInt32(),
                    discrepancies = second.GetProperty("discrepancies").GetInt32(),
                }));
                return second.GetProperty("discrepancies").GetInt32() == 0 ? 0 : 1;
            }
            finally
            {
                try { Directory.Delete(root, recursive: true); } catch (IOException) { }
            }
        });
        return command;
    }

    private static async Task<(TimeSpan Elapsed, JsonElement Report)> Reconcile(HttpClient http, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var body = await http.GetStringAsync("admin/reconcile", cancellationToken);
        var elapsed = watch.Elapsed;
        return (elapsed, JsonDocument.Parse(body).RootElement.Clone());
    }

    private static void WriteSecret(string path, string[] words)
    {
        // The silo refuses a secrets file that group or others may read.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.WriteLine(string.Join(' ', words));
    }
}
