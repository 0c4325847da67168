namespace Cocoon.Benchmarks.Scenarios.Senders;

/// <summary>What a scenario needs back from one job. <paramref name="NodeId"/> is null where the target does not say (HTTP).</summary>
internal sealed record SentJob(string Text, int CompletionTokens, string? NodeId);
