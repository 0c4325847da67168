namespace Cocoon.Jobs;

/// <summary>
/// A job's content, kept apart from its metadata: <see cref="PayloadFormat.Plain"/> is UTF-8 JSON of a
/// <see cref="PromptContent"/>; <see cref="PayloadFormat.Sealed"/> is a sealed envelope only attested nodes can open.
/// </summary>
[GenerateSerializer, Immutable, Alias("cocoon.job-payload.v1")]
public sealed record JobPayload([property: Id(0)] string Format, [property: Id(1)] byte[] Data)
{
    // Never print the content: it may be a prompt.
    public override string ToString() => $"JobPayload {{ Format = {Format}, Bytes = {Data.Length} }}";
}

public static class PayloadFormat
{
    public const string Plain = "plain.v1";
    public const string Sealed = "sealed.v1";
}
