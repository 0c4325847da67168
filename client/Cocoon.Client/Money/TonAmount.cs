using System.Globalization;

namespace Cocoon.Client;

/// <summary>nanoTON as a TON decimal string (1 TON = 10^9 nanoTON), exact: no floating point on the way.</summary>
public static class TonAmount
{
    public const long NanoPerTon = 1_000_000_000;

    public static string Format(long nano)
    {
        var sign = nano < 0 ? "-" : "";
        var magnitude = nano < 0 ? -(Int128)nano : nano;
        var whole = magnitude / NanoPerTon;
        var fraction = (long)(magnitude % NanoPerTon);
        var text = whole.ToString(CultureInfo.InvariantCulture);
        return fraction == 0 ? sign + text : $"{sign}{text}.{fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0')}";
    }
}
