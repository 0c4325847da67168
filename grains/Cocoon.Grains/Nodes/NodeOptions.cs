namespace Cocoon.Grains.Nodes;

public sealed class NodeOptions
{
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);
}
