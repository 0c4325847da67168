using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Cocoon.Silo.Storage.Postgres;

/// <summary>One versioned schema script, embedded as <c>NNNN-description.sql</c> beside this file.</summary>
public sealed record PostgresMigration(int Version, string Description, string Sql)
{
    private const string ResourcePrefix = "Cocoon.Silo.Storage.Postgres.";

    /// <summary>SHA-256 of the script, recorded when applied so that an edited script is noticed.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>The embedded scripts in version order.</summary>
    public static IReadOnlyList<PostgresMigration> All { get; } = Load();

    private static PostgresMigration[] Load()
    {
        var assembly = typeof(PostgresMigration).Assembly;
        var migrations = new List<PostgresMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[ResourcePrefix.Length..^".sql".Length];
            var dash = fileName.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(fileName.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Schema script '{fileName}.sql' is not named NNNN-description.sql.");
            }

            migrations.Add(new PostgresMigration(version, fileName[(dash + 1)..], Read(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Schema scripts must be numbered 1, 2, 3, ... without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return [.. migrations];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded schema script {resource} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
