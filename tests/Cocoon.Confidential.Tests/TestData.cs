using System.Reflection;

namespace Cocoon.Confidential.Tests;

/// <summary>Finds shared/testdata: COCOON_TESTDATA, then the assembly metadata, then a walk up from the test binaries.</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Path(parts));

    public static string Tdx(string name) => Path("tdx", name);

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("COCOON_TESTDATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }
        var meta = typeof(TestData).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CocoonTestData")?.Value;
        if (!string.IsNullOrEmpty(meta) && Directory.Exists(meta))
        {
            return meta;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/testdata not found (set COCOON_TESTDATA)");
    }
}
