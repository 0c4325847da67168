namespace Cocoon.Grains.Nodes;

/// <summary>How a silo's nodes prove themselves and open sealed jobs (see <see cref="AttestedNodeCrypto"/>).</summary>
public sealed class ConfidentialOptions
{
    /// <summary>
    /// The data directory: node keys live in <c>nodes/&lt;id&gt;.key</c> (mode 0600) and the simulated TEE's dev CA in
    /// <c>dev-ca/</c>. Null keeps both in memory: keys change on every start and no client can know the dev CA.
    /// </summary>
    public string? Home { get; set; }

    /// <summary>
    /// A dev CA folder shared by every silo and client of a dev cluster (<c>Cocoon:Confidential:DevCaPath</c>, or
    /// <c>$COCOON_DEV_CA</c>); null: the environment variable, else <c>dev-ca/</c> in <see cref="Home"/>.
    /// </summary>
    public string? DevCaPath { get; set; }

    /// <summary>Lets the nodes also run plaintext payloads (the core then sees those prompts). Off: sealed payloads only.</summary>
    public bool AllowPlaintext { get; set; }

    /// <summary>Evidence is re-issued once it is this old, well inside the verifiers' maximum age (a day in the dev policy).</summary>
    public TimeSpan EvidenceRefresh { get; set; } = TimeSpan.FromHours(1);
}
