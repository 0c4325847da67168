using System.CommandLine;
using Cocoon.Cli.Hosting;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Crypto;
using Cocoon.Ton.Messages;
using Cocoon.Ton.Toncenter;
using Cocoon.Ton.Wallets;
using Cocoon.Wallets;

namespace Cocoon.Cli.Payouts;

/// <summary>
/// <c>cocoon deposit</c>: signs a transfer from your own wallet (its 24-word mnemonic in a file) to the network's deposit
/// wallet with the account id as the comment, and sends it through toncenter (the dev chain by default). The network
/// credits it once the transaction is on chain.
/// </summary>
public static class DepositCommand
{
    public const string DevChainApi = "http://127.0.0.1:8090/api/v2/";

    public static Command Create(CommandRunner runner)
    {
        var account = AccountOption.Create();
        var mnemonic = new Option<string>("--mnemonic-file") { Description = "File holding your wallet's 24 words.", Required = true, HelpName = "FILE" };
        var to = new Option<string>("--to") { Description = "The network's deposit address (the silo logs it at start).", Required = true, HelpName = "ADDRESS" };
        var amount = new Option<long>("--amount-nano") { Description = "nanoTON to deposit.", Required = true, HelpName = "NANOTON" }
            .Require(v => v > 0, "--amount-nano must be positive.");
        var wallet = new Option<string>("--wallet") { Description = "Your wallet's contract: v4r2 or v5r1.", DefaultValueFactory = _ => "v4r2" }
            .Require(v => v is "v4r2" or "v5r1", "--wallet is v4r2 or v5r1.");
        var testnet = new Option<bool>("--testnet") { Description = "Testnet wallet id (v5r1) and address flags." };
        var toncenter = new Option<string>("--toncenter") { Description = $"toncenter v2 root (default: the dev chain, {DevChainApi}).", DefaultValueFactory = _ => DevChainApi, HelpName = "URL" };
        var apiKey = new Option<string?>("--api-key") { Description = "toncenter API key (or TONCENTER_API_KEY).", HelpName = "KEY" };
        var command = new Command("deposit", "Send TON from your wallet to the network's deposit wallet, credited to an account.")
            { account, mnemonic, to, amount, wallet, testnet, toncenter, apiKey };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var accountId = parse.GetValue(account) ?? throw new FormatException("--account is required: the account to credit.");
                if (!Accounts.IsValid(accountId) || Accounts.IsSystem(accountId)) throw new FormatException($"'{accountId}' is not a client account id.");
                var words = Mnemonic.Normalize(await File.ReadAllTextAsync(parse.GetValue(mnemonic)!, cancellationToken));
                Mnemonic.Validate(words);
                var key = Mnemonic.ToKeyPair(words);
                var destination = TonAddress.Parse(parse.GetValue(to)!);
                var root = parse.GetValue(toncenter)!;
                using var client = new ToncenterClient(new ToncenterOptions
                {
                    BaseUrl = new Uri(root.EndsWith('/') ? root : root + "/"),
                    ApiKey = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("TONCENTER_API_KEY"),
                });
                // Non-bounceable: the deposit wallet may not be deployed yet, and a bounceable transfer to it would come back.
                var message = InternalMessage.WithComment(destination, parse.GetValue(amount), accountId, bounce: false);
                ITonWallet source = parse.GetValue(wallet) == "v5r1"
                    ? new WalletV5R1(key.PublicKey.Span, parse.GetValue(testnet) ? WalletV5R1.TestnetGlobalId : WalletV5R1.MainnetGlobalId)
                    : new WalletV4R2(key.PublicKey.Span);
                var from = source.Address.ToFriendly(bounceable: false, testOnly: parse.GetValue(testnet));
                var info = await client.GetWalletInformationAsync(from, cancellationToken);
                var seqno = info.Seqno ?? 0;
                var validUntil = (uint)DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds();
                var external = source switch
                {
                    WalletV5R1 v5 => v5.CreateTransfer(key, seqno, validUntil, [message], includeStateInit: info.AccountState != AccountState.Active),
                    WalletV4R2 v4 => v4.CreateTransfer(key, seqno, validUntil, [message], includeStateInit: info.AccountState != AccountState.Active),
                    _ => throw new InvalidOperationException("unknown wallet"),
                };
                var sent = await client.SendBocReturnHashAsync(external.ToBoc(), cancellationToken);
                await runner.IO.Out.WriteLineAsync(Json.Object(w =>
                {
                    w.WriteString("from", from);
                    w.WriteString("to", destination.ToFriendly(bounceable: false, testOnly: parse.GetValue(testnet)));
                    w.WriteString("account", accountId);
                    w.WriteNumber("amount_nano", parse.GetValue(amount));
                    w.WriteNumber("seqno", seqno);
                    w.WriteString("message_hash", Convert.ToHexStringLower(Convert.FromBase64String(sent.Hash)));
                }));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is MnemonicException or AddressFormatException or IOException or ToncenterException)
            {
                await runner.IO.Error.WriteLineAsync($"error: {e.Message}");
                return e is ToncenterException ? ExitCodes.Error : ExitCodes.Usage;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return runner.Fail(e);
            }
        });
        return command;
    }
}
