namespace Cocoon.Ton.Toncenter;

/// <summary>toncenter's runGetMethod result. A non-zero <see cref="ExitCode"/> (other than 1) means the method failed; -13 means no code.</summary>
public sealed record GetMethodResult(int ExitCode, long GasUsed, IReadOnlyList<TvmStackEntry> Stack)
{
    public bool Succeeded => ExitCode is 0 or 1;
}
