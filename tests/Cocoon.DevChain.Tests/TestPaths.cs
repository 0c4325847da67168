namespace Cocoon.DevChain.Tests;

internal static class TestPaths
{
    public static string NewTempDirectory() => Path.Combine(Path.GetTempPath(), "cocoon-devchain-tests-" + Guid.NewGuid().ToString("N"));

    public static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>A random account address in raw form (0:hex), never used before on the chain.</summary>
    public static string NewAddress() => "0:" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
