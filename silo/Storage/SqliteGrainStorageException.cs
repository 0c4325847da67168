using Orleans;

namespace Cocoon.Silo.Storage;

/// <summary>A stored grain state could not be used (for example, it no longer deserializes). Says which state and why.</summary>
[GenerateSerializer, Alias("cocoon.sqlite-grain-storage-exception.v1")]
public sealed class SqliteGrainStorageException : Exception
{
    public SqliteGrainStorageException()
    {
    }

    public SqliteGrainStorageException(string message)
        : base(message)
    {
    }

    public SqliteGrainStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
