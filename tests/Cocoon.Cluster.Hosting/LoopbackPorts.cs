using System.Net;
using System.Net.Sockets;

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
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Taken.Add(port)) return port;
            }
        }
    }
}
