using System.Numerics;

namespace Cocoon.Ton.Toncenter;

/// <summary>One value on a TVM stack, as runGetMethod takes and returns them. Cells and slices are BOCs in base64.</summary>
public abstract record TvmStackEntry
{
    private protected TvmStackEntry()
    {
    }

    public static TvmStackEntry Number(BigInteger value) => new TvmStackNumber(value);

    public static TvmStackEntry Cell(string bocBase64) => new TvmStackCell(bocBase64);

    public static TvmStackEntry Slice(string bocBase64) => new TvmStackSlice(bocBase64);

    /// <summary>The integer value; throws when the entry is not a number.</summary>
    public BigInteger AsNumber() => this is TvmStackNumber n
        ? n.Value
        : throw new InvalidOperationException($"stack entry is {GetType().Name}, not a number");
}

public sealed record TvmStackNumber(BigInteger Value) : TvmStackEntry;

public sealed record TvmStackCell(string Boc) : TvmStackEntry;

public sealed record TvmStackSlice(string Boc) : TvmStackEntry;

public sealed record TvmStackNull : TvmStackEntry;

public sealed record TvmStackTuple(IReadOnlyList<TvmStackEntry> Items) : TvmStackEntry;

/// <summary>An entry of a type this client does not decode (builders, continuations); the raw JSON is kept.</summary>
public sealed record TvmStackUnsupported(string Type, string Json) : TvmStackEntry;
