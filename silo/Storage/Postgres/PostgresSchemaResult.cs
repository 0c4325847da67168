namespace Cocoon.Silo.Storage.Postgres;

/// <summary>What <see cref="PostgresSchema.InitializeAsync"/> found and did: the versions before and after, and the scripts it ran.</summary>
public sealed record PostgresSchemaResult(int PreviousVersion, int CurrentVersion, IReadOnlyList<int> Applied);
