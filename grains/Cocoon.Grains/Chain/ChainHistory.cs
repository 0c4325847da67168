using Cocoon.Ton.Toncenter;

namespace Cocoon.Grains.Chain;

/// <summary>Pages an account's transactions through toncenter's (lt, hash) cursor.</summary>
public static class ChainHistory
{
    /// <summary>
    /// Every transaction of <paramref name="address"/> after the one at <paramref name="afterLt"/> (all of them when
    /// null), newest first. A page that starts at a cursor repeats the cursor transaction, the last of the previous
    /// page: it is skipped.
    /// </summary>
    public static async Task<List<ToncenterTransaction>> ReadAfterAsync(ToncenterClient toncenter, string address, ulong? afterLt, int pageSize,
        CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 2, 100);
        var result = new List<ToncenterTransaction>();
        TransactionId? from = null;
        while (true)
        {
            var page = await toncenter.GetTransactionsAsync(address, pageSize, from?.Lt, from?.Hash, afterLt, cancellationToken: cancellationToken);
            var items = page.AsEnumerable();
            if (from is not null && page.Count > 0 && Same(page[0].TransactionId, from)) items = items.Skip(1);
            var added = 0;
            foreach (var t in items)
            {
                if (afterLt is { } stop && t.TransactionId.Lt <= stop) return result;
                result.Add(t);
                added++;
            }
            if (page.Count < pageSize || added == 0) return result;
            from = page[^1].TransactionId;
        }
    }

    public static bool Same(TransactionId a, TransactionId b) =>
        a.Lt == b.Lt && a.HashBytes().AsSpan().SequenceEqual(b.HashBytes());
}
