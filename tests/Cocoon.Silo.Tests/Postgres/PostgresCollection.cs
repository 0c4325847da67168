namespace Cocoon.Silo.Tests.Postgres;

/// <summary>One PostgreSQL server for every test class that needs it; each test takes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
