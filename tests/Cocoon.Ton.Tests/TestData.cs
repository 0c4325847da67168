using System.Reflection;
using System.Text.Json;

namespace Cocoon.Ton.Tests;

/// <summary>Finds shared/testdata: COCOON_TESTDATA, the assembly metadata set at build, or a walk up from the binaries.</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(Locate);
    private static readonly Lazy<JsonElement> VectorsJson = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root.Value, "ton", "vectors.json"))).RootElement);

    public static JsonElement Vectors => VectorsJson.Value;

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)).Trim();

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("COCOON_TESTDATA");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        var fromMetadata = typeof(TestData).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CocoonTestData")?.Value;
        if (!string.IsNullOrEmpty(fromMetadata) && Directory.Exists(fromMetadata))
        {
            return fromMetadata;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/testdata not found: set COCOON_TESTDATA.");
    }
}
