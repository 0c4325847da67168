using System.Net.Sockets;

namespace Cocoon.Client;

/// <summary>Checks that at least one gateway accepts TCP connections before Orleans starts its own (slow) retries.</summary>
internal static class GatewayProbe
{
    private static readonly TimeSpan PerGateway = TimeSpan.FromSeconds(5);

    public static async Task RequireListening(CocoonConnection connection, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var gateway in connection.Gateways)
        {
            using var socket = new Socket(gateway.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(PerGateway);
            try
            {
                await socket.ConnectAsync(gateway, attempt.Token);
                return;
            }
            catch (SocketException e)
            {
                errors.Add($"{gateway}: {e.SocketErrorCode}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{gateway}: no answer in {PerGateway.TotalSeconds:0} s");
            }
        }
        throw new ClusterUnreachableException(connection.GatewayList, string.Join("; ", errors));
    }
}
