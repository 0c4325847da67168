using Orleans;
using Orleans.Runtime;

namespace Cocoon.Silo.Storage;

/// <summary>Rejects an unusable <see cref="SqliteGrainStorageOptions"/> at silo start, naming the provider.</summary>
public sealed class SqliteGrainStorageOptionsValidator(SqliteGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            throw new OrleansConfigurationException(
                $"SQLite grain storage '{name}': {nameof(SqliteGrainStorageOptions.DatabasePath)} is required (for example $COCOON_HOME/grains.db).");
        }

        if (options.MaxBatchSize < 1)
        {
            throw new OrleansConfigurationException(
                $"SQLite grain storage '{name}': {nameof(SqliteGrainStorageOptions.MaxBatchSize)} must be at least 1, was {options.MaxBatchSize}.");
        }

        if (options.ReadConnections < 1)
        {
            throw new OrleansConfigurationException(
                $"SQLite grain storage '{name}': {nameof(SqliteGrainStorageOptions.ReadConnections)} must be at least 1, was {options.ReadConnections}.");
        }

        if (options.BusyTimeout < TimeSpan.Zero)
        {
            throw new OrleansConfigurationException(
                $"SQLite grain storage '{name}': {nameof(SqliteGrainStorageOptions.BusyTimeout)} must not be negative.");
        }

        if (options.CheckpointInterval < TimeSpan.Zero)
        {
            throw new OrleansConfigurationException(
                $"SQLite grain storage '{name}': {nameof(SqliteGrainStorageOptions.CheckpointInterval)} must not be negative (zero leaves checkpoints to the writer).");
        }
    }
}
