using System.Security.Cryptography;
using Cocoon.Confidential.Sealing;

namespace Cocoon.Confidential.Tests.Sealing;

public sealed class ResponseStreamTests
{
    private static readonly byte[] ContentKey = RandomNumberGenerator.GetBytes(32);

    private static List<ResponseChunk> Stream(string jobId, int count)
    {
        using var sealer = new ResponseSealer(ContentKey, jobId);
        return Enumerable.Range(0, count).Select(i => sealer.Seal(new[] { (byte)i }, final: i == count - 1)).ToList();
    }

    [Fact]
    public void Chunks_in_order_open_and_the_stream_completes()
    {
        using var opener = new ResponseOpener(ContentKey, "job-1");
        var output = Stream("job-1", 5).SelectMany(opener.Open).ToArray();
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, output);
        opener.Complete();
        Assert.True(opener.IsComplete);
    }

    [Fact]
    public void Reordering_and_replay_are_detected()
    {
        var chunks = Stream("job-1", 3);
        using var reordered = new ResponseOpener(ContentKey, "job-1");
        Assert.Equal(ResponseStreamError.OutOfOrder, Assert.Throws<ResponseStreamException>(() => reordered.Open(chunks[1])).Error);

        using var replayed = new ResponseOpener(ContentKey, "job-1");
        replayed.Open(chunks[0]);
        Assert.Equal(ResponseStreamError.OutOfOrder, Assert.Throws<ResponseStreamException>(() => replayed.Open(chunks[0])).Error);

        // A relabelled sequence number does not help: the nonce and AAD bind the real one.
        using var relabelled = new ResponseOpener(ContentKey, "job-1");
        Assert.Equal(ResponseStreamError.Tampered, Assert.Throws<ResponseStreamException>(() => relabelled.Open(chunks[1] with { Sequence = 0 })).Error);
    }

    [Fact]
    public void Truncation_is_reported_and_a_forged_final_flag_does_not_authenticate()
    {
        var chunks = Stream("job-1", 3);
        using var opener = new ResponseOpener(ContentKey, "job-1");
        opener.Open(chunks[0]);
        opener.Open(chunks[1]);
        Assert.Equal(ResponseStreamError.Truncated, Assert.Throws<ResponseStreamException>(opener.Complete).Error);
        Assert.Equal(ResponseStreamError.Tampered, Assert.Throws<ResponseStreamException>(() => new ResponseOpener(ContentKey, "job-1").Open(chunks[0] with { Final = true })).Error);
    }

    [Fact]
    public void Nothing_is_accepted_after_the_final_chunk()
    {
        var chunks = Stream("job-1", 2);
        using var opener = new ResponseOpener(ContentKey, "job-1");
        opener.Open(chunks[0]);
        opener.Open(chunks[1]);
        Assert.Equal(ResponseStreamError.AfterFinal, Assert.Throws<ResponseStreamException>(() => opener.Open(chunks[1] with { Sequence = 2 })).Error);
        using var sealer = new ResponseSealer(ContentKey, "job-1");
        sealer.Seal([1], final: true);
        Assert.Throws<InvalidOperationException>(() => sealer.Seal([2]));
    }

    [Fact]
    public void Chunks_cannot_be_spliced_between_jobs()
    {
        var other = Stream("job-2", 2);
        using var opener = new ResponseOpener(ContentKey, "job-1");
        Assert.Equal(ResponseStreamError.Tampered, Assert.Throws<ResponseStreamException>(() => opener.Open(other[0])).Error);
    }
}
