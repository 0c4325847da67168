namespace Cocoon.Grains.Chain;

/// <summary>The watcher's cursor: the newest transaction already booked, (lt, hash), the paging cursor of getTransactions.</summary>
[GenerateSerializer, Alias("cocoon.chain-watcher-state.v1")]
public sealed class ChainWatcherState
{
    [Id(0)] public ulong CursorLt { get; set; }
    [Id(1)] public string? CursorHash { get; set; }
}
