using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Cocoon.Ton.Toncenter;

/// <summary>
/// Reads toncenter's JSON results into records. toncenter prints 64-bit numbers sometimes as strings and sometimes
/// as numbers, so every reader accepts both; anything else is a <see cref="FormatException"/>.
/// </summary>
internal static class ToncenterJson
{
    public static AddressInformation ParseAddressInformation(JsonElement result) => new(
        Balance: Int64(result, "balance"),
        State: ParseState(OptionalString(result, "state") ?? "uninitialized"),
        Code: OptionalString(result, "code") ?? string.Empty,
        Data: OptionalString(result, "data") ?? string.Empty,
        LastTransactionId: ParseTransactionId(Property(result, "last_transaction_id")),
        FrozenHash: OptionalString(result, "frozen_hash") ?? string.Empty,
        SyncUtime: result.TryGetProperty("sync_utime", out var sync) ? Int64(sync, "sync_utime") : 0);

    public static WalletInformation ParseWalletInformation(JsonElement result)
    {
        var seqno = result.TryGetProperty("seqno", out var s) && s.ValueKind != JsonValueKind.Null
            ? checked((uint)Int64(s, "seqno"))
            : (uint?)null;
        var walletId = result.TryGetProperty("wallet_id", out var w) && w.ValueKind != JsonValueKind.Null
            ? Int64(w, "wallet_id")
            : (long?)null;
        return new WalletInformation(
            IsWallet: Property(result, "wallet").ValueKind == JsonValueKind.True,
            Balance: Int64(result, "balance"),
            AccountState: ParseState(OptionalString(result, "account_state") ?? "uninitialized"),
            WalletType: OptionalString(result, "wallet_type"),
            Seqno: seqno,
            WalletId: walletId,
            LastTransactionId: ParseTransactionId(Property(result, "last_transaction_id")));
    }

    public static IReadOnlyList<ToncenterTransaction> ParseTransactions(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("getTransactions result is not an array");
        }

        var list = new List<ToncenterTransaction>(result.GetArrayLength());
        foreach (var item in result.EnumerateArray())
        {
            list.Add(ParseTransaction(item));
        }

        return list;
    }

    public static ToncenterTransaction ParseTransaction(JsonElement tx)
    {
        var address = tx.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.Object
            ? OptionalString(a, "account_address") ?? string.Empty
            : string.Empty;
        ToncenterMessage? inMessage = null;
        if (tx.TryGetProperty("in_msg", out var inMsg) && inMsg.ValueKind == JsonValueKind.Object)
        {
            inMessage = ParseMessage(inMsg);
        }

        var outMessages = new List<ToncenterMessage>();
        if (tx.TryGetProperty("out_msgs", out var outMsgs) && outMsgs.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in outMsgs.EnumerateArray())
            {
                outMessages.Add(ParseMessage(m));
            }
        }

        return new ToncenterTransaction(
            Address: address,
            Utime: Int64(tx, "utime"),
            Data: String(tx, "data"),
            TransactionId: ParseTransactionId(Property(tx, "transaction_id")),
            Fee: Int64(tx, "fee"),
            StorageFee: tx.TryGetProperty("storage_fee", out var sf) ? Int64(sf, "storage_fee") : 0,
            OtherFee: tx.TryGetProperty("other_fee", out var of) ? Int64(of, "other_fee") : 0,
            InMessage: inMessage,
            OutMessages: outMessages);
    }

    public static ToncenterMessage ParseMessage(JsonElement msg)
    {
        string? body = null;
        string? initState = null;
        string? comment = null;
        if (msg.TryGetProperty("msg_data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            body = NullIfEmpty(OptionalString(data, "body"));
            initState = NullIfEmpty(OptionalString(data, "init_state"));
            if (OptionalString(data, "@type") == "msg.dataText" && OptionalString(data, "text") is { } text)
            {
                // toncenter sends a comment's text base64-encoded inside msg.dataText.
                comment = Encoding.UTF8.GetString(DecodeBase64(text));
            }
        }

        return new ToncenterMessage(
            Hash: NullIfEmpty(OptionalString(msg, "hash")),
            Source: OptionalString(msg, "source") ?? string.Empty,
            Destination: OptionalString(msg, "destination") ?? string.Empty,
            Value: msg.TryGetProperty("value", out var v) ? Int64(v, "value") : 0,
            ForwardFee: msg.TryGetProperty("fwd_fee", out var ff) ? Int64(ff, "fwd_fee") : 0,
            IhrFee: msg.TryGetProperty("ihr_fee", out var ih) ? Int64(ih, "ihr_fee") : 0,
            CreatedLt: msg.TryGetProperty("created_lt", out var cl) ? UInt64(cl, "created_lt") : 0,
            BodyHash: OptionalString(msg, "body_hash") ?? string.Empty,
            Body: body,
            InitState: initState,
            Comment: comment);
    }

    public static TransactionId ParseTransactionId(JsonElement id) =>
        new(UInt64(Property(id, "lt"), "lt"), OptionalString(id, "hash") ?? string.Empty);

    public static MasterchainInfo ParseMasterchainInfo(JsonElement result) => new(
        Last: ParseBlockId(Property(result, "last")),
        Init: ParseBlockId(Property(result, "init")),
        StateRootHash: OptionalString(result, "state_root_hash") ?? string.Empty);

    public static BlockIdExt ParseBlockId(JsonElement block) => new(
        Workchain: checked((int)Int64(block, "workchain")),
        Shard: Int64(block, "shard"),
        Seqno: checked((uint)Int64(block, "seqno")),
        RootHash: String(block, "root_hash"),
        FileHash: String(block, "file_hash"));

    public static SentMessage ParseSentMessage(JsonElement result) =>
        new(String(result, "hash"), NullIfEmpty(OptionalString(result, "hash_norm")));

    public static GetMethodResult ParseGetMethodResult(JsonElement result)
    {
        var stack = new List<TvmStackEntry>();
        if (result.TryGetProperty("stack", out var s) && s.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in s.EnumerateArray())
            {
                stack.Add(ParseStackEntry(entry));
            }
        }

        return new GetMethodResult(checked((int)Int64(result, "exit_code")), result.TryGetProperty("gas_used", out var g) ? Int64(g, "gas_used") : 0, stack);
    }

    // Top-level entries are [type, value] pairs: ["num", "0x1f"], ["cell", {"bytes": boc}], ["tuple", {"elements": [...]}].
    private static TvmStackEntry ParseStackEntry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() < 1)
        {
            throw new FormatException($"stack entry {entry.GetRawText()} is not a [type, value] pair");
        }

        var type = entry[0].GetString() ?? string.Empty;
        var value = entry.GetArrayLength() > 1 ? entry[1] : default;
        switch (type)
        {
            case "num":
            case "number":
                return new TvmStackNumber(ParseTvmInteger(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()));
            case "null":
                return new TvmStackNull();
            case "cell":
                return new TvmStackCell(BytesOf(value));
            case "slice":
                return new TvmStackSlice(BytesOf(value));
            case "tuple":
            case "list":
                var items = new List<TvmStackEntry>();
                if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("elements", out var elements))
                {
                    foreach (var element in elements.EnumerateArray())
                    {
                        items.Add(ParseTlStackEntry(element));
                    }
                }

                return new TvmStackTuple(items);
            default:
                return new TvmStackUnsupported(type, entry.GetRawText());
        }
    }

    // Entries nested in tuples use the TL object form: {"@type": "tvm.stackEntryNumber", "number": {"number": "5"}}.
    private static TvmStackEntry ParseTlStackEntry(JsonElement entry)
    {
        var type = OptionalString(entry, "@type") ?? string.Empty;
        switch (type)
        {
            case "tvm.stackEntryNumber":
                return new TvmStackNumber(ParseTvmInteger(String(Property(entry, "number"), "number")));
            case "tvm.stackEntryCell":
                return new TvmStackCell(String(Property(entry, "cell"), "bytes"));
            case "tvm.stackEntrySlice":
                return new TvmStackSlice(String(Property(entry, "slice"), "bytes"));
            case "tvm.stackEntryTuple":
            case "tvm.stackEntryList":
                var inner = type == "tvm.stackEntryTuple" ? Property(entry, "tuple") : Property(entry, "list");
                var items = new List<TvmStackEntry>();
                foreach (var element in Property(inner, "elements").EnumerateArray())
                {
                    items.Add(ParseTlStackEntry(element));
                }

                return new TvmStackTuple(items);
            case "tvm.stackEntryNull":
                return new TvmStackNull();
            default:
                return new TvmStackUnsupported(type, entry.GetRawText());
        }
    }

    private static string BytesOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => String(value, "bytes"),
        JsonValueKind.String => value.GetString()!,
        _ => throw new FormatException($"stack cell {value.GetRawText()} has no bytes"),
    };

    internal static BigInteger ParseTvmInteger(string text)
    {
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        BigInteger value;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            // A leading zero keeps BigInteger from reading the top hex digit as a sign.
            if (!BigInteger.TryParse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
            {
                throw new FormatException($"stack number '{text}' is not hex");
            }
        }
        else if (!BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            throw new FormatException($"stack number '{text}' is not an integer");
        }

        return negative ? -value : value;
    }

    internal static byte[] DecodeBase64(string text)
    {
        var normalized = text.Trim().Replace('-', '+').Replace('_', '/');
        var padding = (4 - (normalized.Length % 4)) % 4;
        return Convert.FromBase64String(normalized + new string('=', padding));
    }

    private static JsonElement Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            throw new FormatException($"field '{name}' is missing");
        }

        return value;
    }

    private static string String(JsonElement element, string name) =>
        Property(element, name).GetString() ?? throw new FormatException($"field '{name}' is null");

    private static string? OptionalString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static long Int64(JsonElement element, string name)
    {
        var value = element.ValueKind == JsonValueKind.Object ? Property(element, name) : element;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new FormatException($"field '{name}' is not a 64-bit integer: {value.GetRawText()}"),
        };
    }

    private static ulong UInt64(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetUInt64(out var n) => n,
        JsonValueKind.String when ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw new FormatException($"field '{name}' is not an unsigned 64-bit integer: {value.GetRawText()}"),
    };

    private static AccountState ParseState(string state) => state switch
    {
        "active" => AccountState.Active,
        "frozen" => AccountState.Frozen,
        "uninitialized" or "uninit" or "nonexist" => AccountState.Uninitialized,
        _ => throw new FormatException($"unknown account state '{state}'"),
    };
}
