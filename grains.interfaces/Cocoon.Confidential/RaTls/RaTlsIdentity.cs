using System.Security.Cryptography.X509Certificates;

namespace Cocoon.Confidential.RaTls;

/// <summary>
/// This process's RA-TLS certificate, re-issued (new key, new quote) once it is <c>refresh</c> old, well before verifiers'
/// maximum evidence age. TLS handshakes read <see cref="Current"/>, so rotation needs no restart.
/// </summary>
public sealed class RaTlsIdentity(IQuoteSource tee, string subjectName, TimeProvider time, TimeSpan refresh, TimeSpan lifetime) : IDisposable
{
    private readonly Lock _lock = new();
    private X509Certificate2? _current;
    private DateTimeOffset _issuedAt;

    public X509Certificate2 Current
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_lock)
            {
                if (_current is null || now - _issuedAt >= refresh)
                {
                    // The previous certificate is not disposed: handshakes in flight may still hold it.
                    _current = RaTlsCertificate.Create(tee, subjectName, now, lifetime);
                    _issuedAt = now;
                }
                return _current;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
        }
    }
}
