using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cocoon.Ton;
using Cocoon.Ton.Addresses;
using Cocoon.Ton.Cells;
using Cocoon.Ton.Transactions;
using Cocoon.Ton.Wallets;

namespace Cocoon.Cli.Ton;

/// <summary>
/// <c>cocoon ton</c>: offline tools for operators debugging TON data (BOCs, addresses, wallet addresses).
/// Each subcommand prints one JSON object with <c>--json</c>, else the same fields as lines; bad input goes to
/// stderr with exit code 2.
/// </summary>
public static class TonCommand
{
    public const int BadInputExitCode = 2;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // Base64 '+' and '/' stay readable instead of \u002B escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var command = new Command("ton", "Inspect TON data offline: bags of cells, addresses, wallet addresses.");
        command.Subcommands.Add(CreateBocCommand());
        command.Subcommands.Add(CreateAddressCommand());
        command.Subcommands.Add(CreateWalletCommand());
        command.Subcommands.Add(CreateTransactionCommand());
        return command;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Print one JSON object." };

    private static Command CreateBocCommand()
    {
        // Arity 0..1 so that a missing value is reported by us, with the same exit code as a bad one.
        var boc = new Argument<string?>("BOC") { Description = "A bag of cells, hex or base64 (either alphabet).", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOption();
        var command = new Command("boc", "Show a BOC's root hash, depth and size, and re-serialize it with and without index and CRC32C.")
        {
            boc, json,
        };
        command.SetAction(parseResult => Run(parseResult, json, () =>
        {
            var text = parseResult.GetValue(boc) ?? throw new TonFormatException("A BOC argument is required.");
            var root = Cell.FromBoc(text);
            var plain = root.ToBoc();
            var indexed = root.ToBoc(withIndex: true, withCrc32C: true);
            return new JsonObject
            {
                ["hash"] = root.HashHex,
                ["depth"] = root.Depth,
                ["bits"] = root.BitLength,
                ["refs"] = root.Refs.Count,
                ["type"] = root.Type.ToString(),
                ["cells"] = CountDistinct(root),
                ["boc"] = Convert.ToHexStringLower(plain),
                ["bocBase64"] = Convert.ToBase64String(plain),
                ["bocIndexCrc32c"] = Convert.ToHexStringLower(indexed),
                ["bocIndexCrc32cBase64"] = Convert.ToBase64String(indexed),
            };
        }));
        return command;
    }

    private static Command CreateAddressCommand()
    {
        var address = new Argument<string?>("ADDRESS") { Description = "A raw (wc:hex) or user-friendly address.", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOption();
        var command = new Command("address", "Show every form of a TON address.") { address, json };
        command.SetAction(parseResult => Run(parseResult, json, () =>
        {
            var text = parseResult.GetValue(address) ?? throw new AddressFormatException("An ADDRESS argument is required.");
            var result = new JsonObject();
            TonAddress parsed;
            if (text.Contains(':'))
            {
                parsed = TonAddress.ParseRaw(text);
                result["input"] = "raw";
            }
            else
            {
                var friendly = TonAddress.ParseFriendly(text);
                parsed = friendly.Address;
                result["input"] = "friendly";
                result["inputBounceable"] = friendly.IsBounceable;
                result["inputTestOnly"] = friendly.IsTestOnly;
            }

            result["raw"] = parsed.ToRaw();
            result["workchain"] = parsed.Workchain;
            result["bounceable"] = parsed.ToFriendly(bounceable: true);
            result["nonBounceable"] = parsed.ToFriendly(bounceable: false);
            result["testnetBounceable"] = parsed.ToFriendly(bounceable: true, testOnly: true);
            result["testnetNonBounceable"] = parsed.ToFriendly(bounceable: false, testOnly: true);
            return result;
        }));
        return command;
    }

    private static Command CreateWalletCommand()
    {
        var publicKey = new Option<string?>("--public-key") { Description = "The Ed25519 public key, 64 hex digits." };
        var json = JsonOption();
        var command = new Command("wallet", "Show the wallet v4r2, v5r1 (mainnet, testnet) and highload v3 addresses of a public key (workchain 0).")
        {
            publicKey, json,
        };
        command.SetAction(parseResult => Run(parseResult, json, () =>
        {
            var hex = parseResult.GetValue(publicKey)?.Trim() ?? throw new TonFormatException("--public-key is required.");
            if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            {
                throw new TonFormatException("--public-key must be 64 hex digits (a 32-byte Ed25519 public key).");
            }

            var key = Convert.FromHexString(hex);
            var highload = new HighloadWalletV3(key);
            var highloadForms = Forms(highload.Address, testOnly: false);
            highloadForms["subwalletId"] = highload.SubwalletId;
            highloadForms["timeout"] = highload.Timeout;
            return new JsonObject
            {
                ["publicKey"] = Convert.ToHexStringLower(key),
                ["workchain"] = 0,
                ["v4r2"] = Forms(new WalletV4R2(key).Address, testOnly: false),
                ["v5r1Mainnet"] = Forms(new WalletV5R1(key, WalletV5R1.MainnetGlobalId).Address, testOnly: false),
                ["v5r1Testnet"] = Forms(new WalletV5R1(key, WalletV5R1.TestnetGlobalId).Address, testOnly: true),
                ["highloadV3"] = highloadForms,
            };
        }));
        return command;
    }

    private static Command CreateTransactionCommand()
    {
        var boc = new Argument<string?>("BOC") { Description = "A transaction BOC, hex or base64 (as toncenter returns it).", Arity = ArgumentArity.ZeroOrOne };
        var workchain = new Option<int>("--workchain") { Description = "The account's workchain (transactions do not record it).", DefaultValueFactory = _ => 0 };
        var json = JsonOption();
        var command = new Command("transaction", "Decode a transaction: messages, comments, fees and phases.") { boc, workchain, json };
        command.SetAction(parseResult => Run(parseResult, json, () =>
        {
            var text = parseResult.GetValue(boc) ?? throw new TonFormatException("A BOC argument is required.");
            var chain = parseResult.GetValue(workchain);
            if (chain is < sbyte.MinValue or > sbyte.MaxValue)
            {
                throw new TonFormatException("--workchain must be in -128..127.");
            }

            return TransactionJson.Describe(Transaction.FromBoc(text, chain));
        }));
        return command;
    }

    private static JsonObject Forms(TonAddress address, bool testOnly) => new()
    {
        ["raw"] = address.ToRaw(),
        ["bounceable"] = address.ToFriendly(bounceable: true, testOnly: testOnly),
        ["nonBounceable"] = address.ToFriendly(bounceable: false, testOnly: testOnly),
    };

    private static int Run(ParseResult parseResult, Option<bool> json, Func<JsonObject> produce)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        JsonObject result;
        try
        {
            result = produce();
        }
        catch (TonFormatException e)
        {
            error.WriteLine(e.Message);
            return BadInputExitCode;
        }

        if (parseResult.GetValue(json))
        {
            output.WriteLine(result.ToJsonString(JsonOptions));
        }
        else
        {
            WriteLines(output, result, "");
        }

        return 0;
    }

    private static void WriteLines(TextWriter output, JsonObject result, string prefix)
    {
        foreach (var (name, value) in result)
        {
            if (value is JsonObject nested)
            {
                WriteLines(output, nested, $"{prefix}{name}.");
            }
            else
            {
                output.WriteLine($"{prefix}{name}: {value}");
            }
        }
    }

    private static int CountDistinct(Cell root)
    {
        var seen = new HashSet<Cell>();
        var pending = new Stack<Cell>();
        pending.Push(root);
        while (pending.TryPop(out var cell))
        {
            if (seen.Add(cell))
            {
                foreach (var child in cell.Refs)
                {
                    pending.Push(child);
                }
            }
        }

        return seen.Count;
    }
}
