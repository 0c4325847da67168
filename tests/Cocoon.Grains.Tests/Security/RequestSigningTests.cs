using Cocoon.Grains.Security;
using Cocoon.Jobs;
using Cocoon.Security;
using Microsoft.Extensions.Time.Testing;

namespace Cocoon.Grains.Tests.Security;

public sealed class RequestSigningTests
{
    private static readonly JobMetadata Metadata = new("echo", 8, 16, 1000, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
    private static readonly JobPayload Payload = new(PayloadFormat.Sealed, [1, 2, 3]);

    [Fact]
    public void Account_ids_derive_from_the_public_key_in_a_stable_documented_form()
    {
        using var key = AccountKey.FromSeed(new byte[32]);
        // Pinned: changing the derivation would orphan every account. Seed 0^32 → RFC 8032's public key for it.
        Assert.Equal("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29", Convert.ToHexStringLower(key.PublicKey));
        Assert.Equal(AccountIds.FromPublicKey(key.PublicKey), key.AccountId);
        Assert.StartsWith("acc_", key.AccountId);
        Assert.Equal(44, key.AccountId.Length);
        Assert.True(AccountIds.IsKeyDerived(key.AccountId));
        Assert.True(Cocoon.Wallets.Accounts.IsValid(key.AccountId));
        Assert.False(AccountIds.IsKeyDerived("dev"));
        Assert.False(AccountIds.IsKeyDerived("system:faucet"));
        using var other = AccountKey.Create();
        Assert.NotEqual(key.AccountId, other.AccountId);
    }

    [Fact]
    public void A_signature_verifies_only_for_its_operation_content_account_and_key()
    {
        using var key = AccountKey.Create();
        using var other = AccountKey.Create();
        var digest = RequestContent.JobRun("job-1", Metadata, Payload);
        var s = RequestSigning.Sign(key, RequestOperations.JobRun, digest, DateTimeOffset.UtcNow);
        Assert.Null(RequestSigning.Check(s, RequestOperations.JobRun, digest, key.AccountId));

        Assert.NotNull(RequestSigning.Check(s, RequestOperations.JobCancel, digest, key.AccountId));
        Assert.NotNull(RequestSigning.Check(s, RequestOperations.JobRun, RequestContent.JobRun("job-2", Metadata, Payload), key.AccountId));
        Assert.NotNull(RequestSigning.Check(s, RequestOperations.JobRun, RequestContent.JobRun("job-1", Metadata with { MaxTokens = 9 }, Payload), key.AccountId));
        Assert.NotNull(RequestSigning.Check(s, RequestOperations.JobRun, RequestContent.JobRun("job-1", Metadata, Payload with { Data = [1, 2, 4] }), key.AccountId));
        Assert.NotNull(RequestSigning.Check(s, RequestOperations.JobRun, digest, other.AccountId));
        Assert.NotNull(RequestSigning.Check(s with { TimestampMs = s.TimestampMs + 1 }, RequestOperations.JobRun, digest, key.AccountId));
        Assert.NotNull(RequestSigning.Check(s with { Nonce = new byte[16] }, RequestOperations.JobRun, digest, key.AccountId));
        Assert.NotNull(RequestSigning.Check(s with { PublicKey = other.PublicKey }, RequestOperations.JobRun, digest, key.AccountId));
        Assert.NotNull(RequestSigning.Check(s with { Signature = new byte[64] }, RequestOperations.JobRun, digest, key.AccountId));
        Assert.NotNull(RequestSigning.Check(s with { Signature = [1] }, RequestOperations.JobRun, digest, key.AccountId));
        Assert.NotNull(RequestSigning.Check(null, RequestOperations.JobRun, digest, key.AccountId));
    }

    [Fact]
    public void The_signed_message_has_the_documented_layout()
    {
        var digest = new byte[32];
        digest[0] = 0xAA;
        var pk = Enumerable.Repeat((byte)0x11, 32).ToArray();
        var nonce = Enumerable.Repeat((byte)0x22, 16).ToArray();
        var m = RequestSigning.Message("job.run", digest, "acc_x", pk, 0x0102030405060708, nonce);
        var expected = new List<byte>();
        expected.AddRange("cocoon.request.v1"u8.ToArray());
        expected.AddRange(new byte[] { 0, 0, 0, 7 });
        expected.AddRange("job.run"u8.ToArray());
        expected.AddRange(digest);
        expected.AddRange(new byte[] { 0, 0, 0, 5 });
        expected.AddRange("acc_x"u8.ToArray());
        expected.AddRange(pk);
        expected.AddRange(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        expected.AddRange(nonce);
        Assert.Equal(expected.ToArray(), m);
    }

    [Fact]
    public void Key_files_are_written_owner_only_and_refused_when_others_may_read_them()
    {
        var dir = Directory.CreateTempSubdirectory("cocoon-key-");
        try
        {
            var path = Path.Combine(dir.FullName, "sub", "a.key");
            using var key = AccountKey.Create();
            key.Save(path);
            Assert.Throws<IOException>(() => key.Save(path)); // never overwritten
            using var loaded = AccountKey.Load(path);
            Assert.Equal(key.AccountId, loaded.AccountId);
            Assert.DoesNotContain(Convert.ToHexStringLower(key.PublicKey), key.ToString());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                var e = Assert.Throws<InsecureSecretFileException>(() => AccountKey.Load(path));
                Assert.Contains("chmod 600", e.Message);
            }
            Assert.Throws<InvalidAccountKeyException>(() => AccountKey.Parse("not a key"));
            Assert.Throws<InvalidAccountKeyException>(() => AccountKey.Parse("# only a comment\nabcd"));
            Assert.Throws<FileNotFoundException>(() => AccountKey.Load(Path.Combine(dir.FullName, "missing.key")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_replay_cache_refuses_a_nonce_twice_forgets_it_after_the_window_and_is_bounded()
    {
        var cache = new ReplayCache(2);
        var t0 = DateTimeOffset.UnixEpoch;
        byte[] N(byte b) => Enumerable.Repeat(b, 16).ToArray();
        Assert.Equal(ReplayCache.Result.Fresh, cache.TryAdd(N(1), t0.AddMinutes(5), t0));
        Assert.Equal(ReplayCache.Result.Replayed, cache.TryAdd(N(1), t0.AddMinutes(5), t0.AddMinutes(1)));
        Assert.Equal(ReplayCache.Result.Fresh, cache.TryAdd(N(2), t0.AddMinutes(6), t0.AddMinutes(1)));
        Assert.Equal(ReplayCache.Result.Full, cache.TryAdd(N(3), t0.AddMinutes(6), t0.AddMinutes(2)));
        Assert.Equal(ReplayCache.Result.Fresh, cache.TryAdd(N(3), t0.AddMinutes(10), t0.AddMinutes(5)));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Token_buckets_allow_the_burst_then_say_how_long_to_wait()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        var bucket = new TokenBucket(3, 60, t0);
        for (var i = 0; i < 3; i++) Assert.Null(bucket.TryTake(1, t0));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.TryTake(1, t0));
        Assert.Null(bucket.TryTake(1, t0.AddSeconds(1)));
        Assert.Equal(TimeSpan.MaxValue, bucket.TryTake(4, t0.AddHours(1)));
    }

    [Fact]
    public void The_verifier_refuses_stale_future_and_replayed_requests_by_the_configured_skew()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Microsoft.Extensions.Options.Options.Create(new RequestVerificationOptions { ClockSkew = TimeSpan.FromMinutes(1) });
        var limits = new CurrentLimits(Microsoft.Extensions.Options.Options.Create(new Cocoon.Registry.NetworkParameters()));
        var verifier = new RequestVerifier(time, options, limits, new SiloRequestLimiter(limits, time));
        var cache = verifier.NewReplayCache();
        using var key = AccountKey.Create();
        var digest = RequestContent.Balance();
        var fresh = RequestSigning.SignedRequest(key, RequestOperations.WalletBalance, digest, time.GetUtcNow());
        verifier.Verify(fresh, RequestOperations.WalletBalance, digest, cache);
        Assert.Throws<Cocoon.Errors.RequestReplayedException>(() => verifier.Verify(fresh, RequestOperations.WalletBalance, digest, cache));
        var old = RequestSigning.SignedRequest(key, RequestOperations.WalletBalance, digest, time.GetUtcNow().AddSeconds(-61));
        Assert.Throws<Cocoon.Errors.StaleRequestException>(() => verifier.Verify(old, RequestOperations.WalletBalance, digest, cache));
        var future = RequestSigning.SignedRequest(key, RequestOperations.WalletBalance, digest, time.GetUtcNow().AddSeconds(61));
        Assert.Throws<Cocoon.Errors.StaleRequestException>(() => verifier.Verify(future, RequestOperations.WalletBalance, digest, cache));
        var withinSkew = RequestSigning.SignedRequest(key, RequestOperations.WalletBalance, digest, time.GetUtcNow().AddSeconds(-59));
        verifier.Verify(withinSkew, RequestOperations.WalletBalance, digest, cache);
        Assert.Throws<Cocoon.Errors.SignatureRejectedException>(() => verifier.Verify((SignedRequest?)null, RequestOperations.WalletBalance, digest, cache));
    }
}
