using System.Text;

namespace Cocoon.Inference.Generation;

/// <summary>
/// Turns a job's token bytes into text safely: a character split across byte-level tokens is emitted only once
/// complete, and text that might begin a stop sequence is held back until it is known not to.
/// </summary>
internal sealed class TextStream(IReadOnlyList<string> stopSequences)
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _pending = new();

    /// <summary>Adds a token's bytes; returns the text now safe to emit and whether a stop sequence was reached.</summary>
    public (string Text, bool Stopped) Push(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_decoder.GetCharCount(bytes, flush: false)];
        _decoder.GetChars(bytes, chars, flush: false);
        _pending.Append(chars);
        var pending = _pending.ToString();
        var stopAt = -1;
        foreach (var stop in stopSequences)
        {
            var at = pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (stopAt < 0 || at < stopAt))
                stopAt = at;
        }
        if (stopAt >= 0)
        {
            _pending.Clear();
            return (pending[..stopAt], true);
        }
        var hold = 0;
        foreach (var stop in stopSequences)
        {
            for (var n = Math.Min(stop.Length - 1, pending.Length); n > hold; n--)
            {
                if (pending.AsSpan(pending.Length - n).SequenceEqual(stop.AsSpan(0, n)))
                {
                    hold = n;
                    break;
                }
            }
        }
        _pending.Clear().Append(pending, pending.Length - hold, hold);
        return (pending[..^hold], false);
    }

    /// <summary>What is left at the end: held-back text and any incomplete character (as U+FFFD).</summary>
    public string Flush()
    {
        var chars = new char[_decoder.GetCharCount([], flush: true)];
        _decoder.GetChars([], chars, flush: true);
        var rest = _pending.Append(chars).ToString();
        _pending.Clear();
        return rest;
    }
}
