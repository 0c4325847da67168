namespace Cocoon.Benchmarks.Load;

/// <summary>A config file or setting that cannot be used; the message says where and what is expected.</summary>
public sealed class LoadConfigException : Exception
{
    public LoadConfigException(string message)
        : base(message)
    {
    }

    public LoadConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
