using Cocoon.Confidential.Sealing;
using Cocoon.Errors;
using Cocoon.Jobs;

namespace Cocoon.Grains.Jobs;

/// <summary>
/// The nodes a sealed payload can be opened by: its envelope's recipient ids are public, so the job grain routes
/// only to them. Null for plaintext payloads (any node will do).
/// </summary>
public static class SealedPayloadRecipients
{
    public static IReadOnlySet<string>? Of(JobPayload payload)
    {
        if (payload.Format == PayloadFormat.Plain) return null;
        if (payload.Format != PayloadFormat.Sealed)
            throw new InvalidJobException("payload", $"Unknown payload format '{payload.Format}': use '{PayloadFormat.Plain}' or '{PayloadFormat.Sealed}'.");
        try
        {
            return SealedEnvelope.Parse(payload.Data).Recipients.Select(r => r.NodeId).ToHashSet(StringComparer.Ordinal);
        }
        catch (SealedEnvelopeException e)
        {
            throw new InvalidJobException("payload", $"The sealed payload is malformed: {e.Message}");
        }
    }
}
