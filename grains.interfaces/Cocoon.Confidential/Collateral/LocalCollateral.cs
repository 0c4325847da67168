using System.Collections.Concurrent;

namespace Cocoon.Confidential.Collateral;

/// <summary>
/// Collateral for synchronous callers (a TLS certificate validation callback cannot await). Answers from memory, or
/// from what its source returns without waiting (files, a current PCS disk cache); otherwise it starts the fetch in the
/// background and says so, and the caller's next attempt (a silo retries its connections) finds it here. What it holds
/// is re-fetched in the background after <c>refresh</c>, served meanwhile: the verifier checks every validity window.
/// </summary>
public sealed class LocalCollateral(ICollateralProvider source, TimeProvider time, TimeSpan? refresh = null)
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly TimeSpan _refresh = refresh ?? TimeSpan.FromHours(1);

    /// <summary>The collateral now, or null with the reason (fetch started, or the source failed).</summary>
    public QuoteCollateral? TryGet(CollateralRequest request, out string? unavailable)
    {
        var key = Convert.ToHexStringLower(request.Fmspc) + "/" + request.PckCa;
        var slot = _slots.GetOrAdd(key, _ => new Slot());
        var now = time.GetUtcNow();
        lock (slot)
        {
            if (slot.Fetch is { IsCompleted: true } done)
            {
                slot.Fetch = null;
                Record(slot, done.IsCompletedSuccessfully ? done.Result : null, done.Exception?.InnerException, now);
            }
            if (slot.Fetch is null && (slot.Last is null || now - slot.FetchedAt >= _refresh))
            {
                ValueTask<QuoteCollateral> fetch = default;
                Exception? failed = null;
                try
                {
                    fetch = source.GetCollateralAsync(request);
                }
                catch (Exception e)
                {
                    failed = e;
                }
                if (failed is not null || fetch.IsCompleted)
                {
                    QuoteCollateral? got = null;
                    if (failed is null)
                    {
                        try
                        {
                            got = fetch.Result;
                        }
                        catch (Exception e)
                        {
                            failed = e;
                        }
                    }
                    Record(slot, got, failed, now);
                }
                else
                {
                    slot.Fetch = fetch.AsTask();
                }
            }
            unavailable = slot.Last is not null ? null
                : slot.Fetch is not null ? $"collateral for {key} is not local yet; it is being fetched, retry shortly"
                : $"collateral for {key} is unavailable: {slot.Error}";
            return slot.Last;
        }
    }

    private static void Record(Slot slot, QuoteCollateral? collateral, Exception? error, DateTimeOffset now)
    {
        if (collateral is not null)
        {
            slot.Last = collateral;
            slot.FetchedAt = now;
            slot.Error = null;
        }
        else
        {
            // Keep serving what we had: the verifier reports an expired window precisely.
            slot.Error = error?.Message ?? "unknown error";
            if (slot.Last is not null)
            {
                slot.FetchedAt = now;
            }
        }
    }

    private sealed class Slot
    {
        public Task<QuoteCollateral>? Fetch;
        public QuoteCollateral? Last;
        public DateTimeOffset FetchedAt;
        public string? Error;
    }
}
