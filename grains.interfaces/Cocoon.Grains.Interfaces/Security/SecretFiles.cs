namespace Cocoon.Security;

/// <summary>
/// Secret files (account keys, mnemonics, CA keys): created readable by their owner only, and refused when group or
/// others may read or write them, so a secret left world-readable is noticed at start rather than leaked.
/// </summary>
public static class SecretFiles
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Exposed =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Throws <see cref="InsecureSecretFileException"/> when group or others have any access to <paramref name="path"/>.</summary>
    public static void RequirePrivate(string path, string what)
    {
        if (OperatingSystem.IsWindows()) return; // ACLs, not mode bits: left to the operator
        var mode = File.GetUnixFileMode(path);
        if ((mode & Exposed) != 0) throw new InsecureSecretFileException(path, what, mode);
    }

    public static string ReadText(string path, string what)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The {what} file '{path}' does not exist.", path);
        RequirePrivate(path, what);
        return File.ReadAllText(path);
    }

    /// <summary>Creates <paramref name="path"/> with mode 0600 (never widened by the umask) and writes <paramref name="text"/>.</summary>
    public static void WriteNew(string path, string text)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = Private;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}

public sealed class InsecureSecretFileException(string path, string what, UnixFileMode mode)
    : IOException($"The {what} file '{path}' is readable or writable by group or others (mode {Convert.ToString((int)mode, 8)}): run `chmod 600 {path}` and start again.")
{
    public string Path { get; } = path;
}

public sealed class InvalidAccountKeyException(string message) : FormatException($"Invalid account key: {message}");
