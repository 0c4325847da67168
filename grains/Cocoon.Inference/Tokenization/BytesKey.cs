namespace Cocoon.Inference.Tokenization;

/// <summary>A byte string usable as a dictionary key (content equality).</summary>
internal readonly struct BytesKey(byte[] bytes) : IEquatable<BytesKey>
{
    public byte[] Bytes { get; } = bytes;

    public bool Equals(BytesKey other) => Bytes.AsSpan().SequenceEqual(other.Bytes);
    public override bool Equals(object? obj) => obj is BytesKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }
}
