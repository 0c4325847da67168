using System.Net;
using System.Net.Sockets;

namespace Cocoon.Client;

/// <summary>Parses <c>HOST:PORT</c> gateway addresses (IPv6 as <c>[::1]:30000</c>).</summary>
public static class GatewayAddress
{
    public static IPEndPoint Parse(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new FormatException("A gateway address is empty: use HOST:PORT, for example 127.0.0.1:30000.");
        var text = value.Trim();
        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0 && text.Contains(':'))
            return endpoint;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            throw new FormatException($"'{value}' is not a gateway address: use HOST:PORT with a port from 1 to 65535, for example 127.0.0.1:30000.");
        var host = text[..colon];
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new FormatException($"The gateway host '{host}' does not resolve ({e.Message}): check the name or use an IP address.");
        }
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new FormatException($"The gateway host '{host}' has no address.");
        return new IPEndPoint(address, port);
    }
}
