using Cocoon.Testing.Hosting;

namespace Cocoon.Cluster.Hosting;

/// <summary>Free loopback ports, never the same one twice in a process: silos keep theirs across restarts.</summary>
public static class LoopbackPorts
{
    private static readonly HashSet<int> Taken = [];

    public static int Next()
    {
        lock (Taken)
        {
            while (true)
            {
                // The OS may hand a just-released port out again: a silo restarted later must not find its ports taken.
                var port = FreePorts.Next();
                if (Taken.Add(port)) return port;
            }
        }
    }
}
