using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Cocoon.Confidential.Keys;

namespace Cocoon.Confidential.Sealing;

/// <summary>
/// The X25519 key pair a client seals many envelopes with (envelope version 2, docs/sealing.md), for at most
/// <see cref="MaxEnvelopes"/> envelopes and <see cref="Lifetime"/>. It remembers its X25519 output for each recipient key
/// it has sealed to, so a client pays one agreement per node and key, not one per job. Every envelope still gets its
/// own wrap key: version 2 binds the envelope's fresh random nonce into the key derivation.
/// </summary>
/// <remarks>Made and rotated by <see cref="SenderKeyRing"/>. The private scalar and remembered outputs are wiped on dispose.</remarks>
public sealed class SenderKey : IDisposable
{
    /// <summary>Recipient keys remembered, the oldest forgotten first.</summary>
    internal const int RememberedRecipients = 4096;

    private readonly byte[] _scalar = GC.AllocateArray<byte>(32, pinned: true);
    private readonly RecentAgreements _shared = new(RememberedRecipients);
    private long _uses;
    private int _disposed;

    internal SenderKey(ReadOnlySpan<byte> scalar, DateTimeOffset createdAt, long maxEnvelopes, TimeSpan lifetime)
    {
        if (scalar.Length != 32) throw new ArgumentException("an X25519 private key is 32 bytes", nameof(scalar));
        scalar.CopyTo(_scalar);
        var publicKey = new byte[32];
        Sodium.ScalarMultBase(publicKey, _scalar);
        PublicKey = publicKey;
        CreatedAt = createdAt;
        MaxEnvelopes = maxEnvelopes;
        Lifetime = lifetime;
    }

    /// <summary>The key's public half: the <c>enc</c> every envelope sealed with it carries.</summary>
    public byte[] PublicKey { get; }

    public DateTimeOffset CreatedAt { get; }

    public long MaxEnvelopes { get; }

    public TimeSpan Lifetime { get; }

    /// <summary>Envelopes sealed (or reserved) with this key so far.</summary>
    public long Uses => Interlocked.Read(ref _uses);

    /// <summary>Takes one envelope's use of the key; false once it has served its count or outlived its lifetime.</summary>
    internal bool TryReserve(DateTimeOffset now) =>
        now - CreatedAt < Lifetime && Interlocked.Increment(ref _uses) <= MaxEnvelopes;

    /// <summary>X25519(this key, <paramref name="recipient"/>) into <paramref name="shared"/>; false for a low-order recipient key.</summary>
    internal bool SharedSecret(ReadOnlySpan<byte> recipient, Span<byte> shared)
    {
        if (recipient.Length != 32) return false;
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_shared.TryGet(recipient, shared)) return true;
        var agreed = Sodium.ScalarMult(shared, _scalar, recipient);
        // Wiped by dispose meanwhile: the result came from a zeroed scalar, so it must not be used or kept.
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!agreed) return false;
        _shared.Add(recipient, shared);
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        CryptographicOperations.ZeroMemory(_scalar);
        _shared.Dispose();
    }
}

/// <summary>
/// The client's current <see cref="SenderKey"/>: a new one when the current has sealed its count or outlived its lifetime.
/// A retired key is wiped at a later rotation once it has been retired for <see cref="RetiredGrace"/>, so an envelope
/// being sealed with it as it retires still completes.
/// A lifetime of zero means no sender key at all: every envelope gets a fresh ephemeral key (version 1).
/// </summary>
public sealed class SenderKeyRing : IDisposable
{
    public const long DefaultMaxEnvelopes = 1 << 16;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    /// <summary>How long a retired key stays readable for envelopes that took it before it retired.</summary>
    internal static readonly TimeSpan RetiredGrace = TimeSpan.FromMinutes(1);

    private readonly List<(SenderKey Key, DateTimeOffset RetiredAt)> _retired = [];
    private SenderKey? _current;

    public SenderKeyRing(TimeProvider? time = null, TimeSpan? lifetime = null, long maxEnvelopes = DefaultMaxEnvelopes)
    {
        var life = lifetime ?? DefaultLifetime;
        if (life < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), life, "a sender key's lifetime is zero (off) or positive");
        // The cap bounds the chance that two envelopes of one key draw the same 96-bit nonce: about 2^-65 at 2^16.
        if (maxEnvelopes is < 1 or > 1L << 24) throw new ArgumentOutOfRangeException(nameof(maxEnvelopes), maxEnvelopes, "a sender key seals 1 to 2^24 envelopes");
        _time = time ?? TimeProvider.System;
        Lifetime = life;
        MaxEnvelopes = maxEnvelopes;
    }

    public TimeSpan Lifetime { get; }

    public long MaxEnvelopes { get; }

    /// <summary>Whether sealing reuses sender keys (version 2); false when the lifetime is zero.</summary>
    public bool Enabled => Lifetime > TimeSpan.Zero;

    /// <summary>A key with one envelope's use reserved for the caller.</summary>
    internal SenderKey Take() => Take(SystemSealingRandomness.Instance);

    internal SenderKey Take(ISealingRandomness random)
    {
        if (!Enabled) throw new InvalidOperationException("sender keys are off (lifetime zero)");
        var now = _time.GetUtcNow();
        var key = Volatile.Read(ref _current);
        if (key is not null && key.TryReserve(now)) return key;
        lock (_lock)
        {
            key = _current;
            if (key is not null && key.TryReserve(now)) return key;
            Span<byte> scalar = stackalloc byte[32];
            try
            {
                random.EphemeralPrivateKey(scalar);
                var fresh = new SenderKey(scalar, now, MaxEnvelopes, Lifetime);
                fresh.TryReserve(now);
                _retired.RemoveAll(r =>
                {
                    if (now - r.RetiredAt < RetiredGrace) return false;
                    r.Key.Dispose();
                    return true;
                });
                if (_current is not null) _retired.Add((_current, now));
                Volatile.Write(ref _current, fresh);
                return fresh;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(scalar);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
            foreach (var (key, _) in _retired) key.Dispose();
            _retired.Clear();
        }
    }
}

/// <summary>A 32-byte public key as a dictionary key (no allocation per lookup).</summary>
internal readonly record struct PublicKey32
{
    private readonly ulong _a, _b, _c, _d;

    public PublicKey32(ReadOnlySpan<byte> key)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(key[..32]);
        (_a, _b, _c, _d) = (words[0], words[1], words[2], words[3]);
    }
}
