using System.Security.Cryptography;
using System.Text.Json;
using Cocoon.Confidential.Sealing;
using Cocoon.Errors;
using Cocoon.Jobs;

namespace Cocoon.Client;

/// <summary>
/// Opens one job's sealed output: chunks must come in order from one node the payload was sealed to, each a JSON
/// <see cref="JobToken"/> (the final chunk is empty). Reordered, tampered or truncated streams are refused.
/// <c>recipients</c> null: any node (replaying a recorded job, whose recipients this client no longer knows).
/// </summary>
public sealed class ResponseStreamOpener : IJobOutputOpener, IDisposable
{
    private readonly ResponseOpener _opener;
    private readonly IReadOnlySet<string>? _recipients;
    private readonly string _jobId;
    private string? _node;

    public ResponseStreamOpener(byte[] contentKey, string jobId, IReadOnlySet<string>? recipients)
    {
        _opener = new ResponseOpener(contentKey, jobId);
        CryptographicOperations.ZeroMemory(contentKey);
        _jobId = jobId;
        _recipients = recipients;
    }

    public IReadOnlyList<JobToken> Open(string nodeId, SealedChunk chunk)
    {
        if (_recipients is not null && !_recipients.Contains(nodeId))
            throw Invalid($"node {nodeId} sent output, but the job was not sealed to it");
        if (_node is not null && _node != nodeId)
            throw Invalid($"node {nodeId} sent output after node {_node} had started the stream");
        _node = nodeId;
        byte[] plaintext;
        try
        {
            plaintext = _opener.Open(new ResponseChunk(chunk.Sequence, chunk.Final, chunk.Data));
        }
        catch (ResponseStreamException e)
        {
            throw Invalid(e.Message);
        }
        if (plaintext.Length == 0) return [];
        try
        {
            return [JsonSerializer.Deserialize<JobToken>(plaintext) ?? throw new JsonException("null token")];
        }
        catch (JsonException e)
        {
            throw Invalid($"chunk {chunk.Sequence} is not a token: {e.Message}");
        }
    }

    public void Complete()
    {
        try
        {
            _opener.Complete();
        }
        catch (ResponseStreamException e)
        {
            throw Invalid(e.Message);
        }
    }

    public void Dispose() => _opener.Dispose();

    private CocoonException Invalid(string why) => new("sealed_output_invalid", $"The sealed output of job {_jobId} was refused: {why}.");
}
