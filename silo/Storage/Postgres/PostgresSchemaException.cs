namespace Cocoon.Silo.Storage.Postgres;

/// <summary>The cluster database could not be reached or its schema cannot be used by this silo; says what to do.</summary>
public sealed class PostgresSchemaException : Exception
{
    public PostgresSchemaException()
    {
    }

    public PostgresSchemaException(string message)
        : base(message)
    {
    }

    public PostgresSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
