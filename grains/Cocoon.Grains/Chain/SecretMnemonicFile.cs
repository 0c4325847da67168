using Cocoon.Ton.Crypto;

namespace Cocoon.Grains.Chain;

/// <summary>
/// A wallet's 24-word mnemonic in a file only the silo's user may read (mode 0600, folder 0700). The dev profile
/// generates one when it is missing; production requires it. Shared by the deposit wallet and the treasury.
/// </summary>
public static class SecretMnemonicFile
{
    private const UnixFileMode ForeignAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// The key pair of the mnemonic in <paramref name="path"/>; <paramref name="fail"/> builds the typed error (its
    /// message names <paramref name="what"/>, the file and the fix).
    /// </summary>
    public static KeyPair LoadOrCreate(string path, bool createIfMissing, string what, Func<string, Exception?, Exception> fail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            if (!createIfMissing)
                throw fail($"The {what}'s mnemonic {path} does not exist: write its 24 words there (mode 0600).", null);
            Create(path);
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ForeignAccess) != 0)
                throw fail($"The {what}'s mnemonic {path} is accessible to group or others ({Convert.ToString((int)mode, 8)}): run chmod 600 '{path}'.", null);
        }

        try
        {
            var words = Mnemonic.Normalize(File.ReadAllText(path));
            Mnemonic.Validate(words);
            return Mnemonic.ToKeyPair(words);
        }
        catch (Exception e) when (e is MnemonicException or IOException or UnauthorizedAccessException)
        {
            throw fail($"The {what}'s mnemonic {path} cannot be used: {e.Message}", e);
        }
    }

    private static void Create(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(string.Join(' ', Mnemonic.Generate()));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
        }
    }
}
