namespace Cocoon.Ton.DevChain;

/// <summary>The dev chain could not be installed, started or asked: the message says what to do about it.</summary>
public sealed class DevChainException : Exception
{
    public DevChainException(string message, int? code = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The dev chain's error code (HTTP-like) when it answered with an error.</summary>
    public int? Code { get; }
}
