using System.Text;

namespace Cocoon.Inference.Tokenization;

/// <summary>
/// The chat template's essentials. ChatML (Qwen-style): each message as <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>,
/// then <c>&lt;|im_start|&gt;assistant\n</c> to open the reply.
/// </summary>
public sealed record ChatTemplate(string MessageStart, string RoleSeparator, string MessageEnd, string AssistantRole = "assistant")
{
    public static readonly ChatTemplate ChatMl = new("<|im_start|>", "\n", "<|im_end|>\n");

    public string Render(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
            text.Append(MessageStart).Append(message.Role).Append(RoleSeparator).Append(message.Content).Append(MessageEnd);
        return text.Append(MessageStart).Append(AssistantRole).Append(RoleSeparator).ToString();
    }
}
