using Cocoon.Errors;

namespace Cocoon.Client;

/// <summary>No silo answered on the configured gateways, or the connection to it broke.</summary>
public sealed class ClusterUnreachableException(string gateways, string detail)
    : CocoonException(ErrorCode,
        $"no silo is listening on {gateways} ({detail}): start one with `dotnet run --project silo`, or point --gateway at a running one.")
{
    public const string ErrorCode = "cluster_unreachable";

    public string Gateways { get; } = gateways;
}
