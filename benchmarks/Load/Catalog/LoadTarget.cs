namespace Cocoon.Benchmarks.Load;

/// <summary>How a Cocoon scenario reaches the cluster: the Orleans client, or the HTTP (OpenAI-compatible) endpoint.</summary>
public enum LoadTarget
{
    Client,
    Http,
}
