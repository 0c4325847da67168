using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration.Internal;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Cocoon.Silo.Storage;

/// <summary>Registers <see cref="SqliteGrainStorage"/> the way Orleans' own storage providers register.</summary>
public static class SqliteGrainStorageSiloBuilderExtensions
{
    /// <summary>SQLite grain storage as the default provider (grains whose <c>[PersistentState]</c> names no storage).</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteGrainStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>SQLite grain storage under <paramref name="name"/>, the <c>storageName</c> of <c>[PersistentState]</c>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSqliteGrainStorage(name, configure);
        return builder;
    }

    /// <summary>The service registrations behind <see cref="AddSqliteGrainStorage(ISiloBuilder, string, Action{SqliteGrainStorageOptions})"/>.</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteGrainStorageOptions> configure)
    {
        services.AddOptions<SqliteGrainStorageOptions>(name).Configure(configure);
        // Takes the serializer registered under the provider's name, else the silo's default IGrainStorageSerializer.
        services.AddTransient<IPostConfigureOptions<SqliteGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>();
        services.AddTransient<IConfigurationValidator>(sp => new SqliteGrainStorageOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name), name));
        services.AddGrainStorage(name, static (sp, providerName) => ActivatorUtilities.CreateInstance<SqliteGrainStorage>(
            sp, providerName, sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(providerName)));
        return services;
    }
}
