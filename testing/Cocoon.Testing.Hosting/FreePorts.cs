using System.Net;
using System.Net.Sockets;

namespace Cocoon.Testing.Hosting;

public static class FreePorts
{
    /// <summary>A loopback TCP port nobody listens on right now (the OS picks it).</summary>
    public static int Next() => Take(1)[0];

    /// <summary>
    /// <paramref name="count"/> distinct free ports: every listener stays open until all are picked, since the OS may
    /// hand a just-closed port out again.
    /// </summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}
