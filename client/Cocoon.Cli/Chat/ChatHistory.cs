using System.Text.Json;
using Cocoon.Jobs;

namespace Cocoon.Cli.Chat;

/// <summary>
/// Reads an earlier conversation for <c>chat --messages-file</c>: a JSON array of <c>{"role","content"}</c>, or the
/// object <c>chat --json</c> printed (its <c>messages</c>), so a script can pass one reply's output to the next call.
/// Malformed input raises <see cref="FormatException"/> naming what is wrong.
/// </summary>
public static class ChatHistory
{
    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "developer", "user", "assistant" };

    public static IReadOnlyList<PromptMessage> Read(string path, TextReader stdin)
    {
        string text;
        if (path == "-") text = stdin.ReadToEnd();
        else if (File.Exists(path)) text = File.ReadAllText(path);
        else throw new FormatException($"the messages file '{path}' does not exist.");
        return Parse(text, path == "-" ? "stdin" : path);
    }

    public static IReadOnlyList<PromptMessage> Parse(string text, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source} is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var inner)) root = inner;
            if (root.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{source} must hold a JSON array of {{\"role\",\"content\"}} messages (or an object with \"messages\").");
            var messages = new List<PromptMessage>();
            foreach (var (m, i) in root.EnumerateArray().Select((m, i) => (m, i)))
            {
                if (m.ValueKind != JsonValueKind.Object
                    || !m.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                    || !m.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                    throw new FormatException($"{source}: message {i} needs string \"role\" and \"content\".");
                if (!Roles.Contains(role.GetString()!))
                    throw new FormatException($"{source}: message {i} has role '{role.GetString()}': use system, developer, user or assistant.");
                messages.Add(new PromptMessage(role.GetString()!, content.GetString()!));
            }
            return messages;
        }
    }
}
