using System.Buffers;

namespace Cocoon.Jobs;

/// <summary>Job ids are chosen by clients: 1 to 128 characters of [A-Za-z0-9._-].</summary>
public static class JobIds
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 128 && !id.AsSpan().ContainsAnyExcept(Allowed);

    public static string New() => Guid.NewGuid().ToString("N");
}
