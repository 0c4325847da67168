namespace Cocoon.Client;

/// <summary>
/// How a Cocoon client finds the network and what its jobs default to. Unset connection values come from the data
/// directory (<c>endpoints.json</c> and <c>dev-account</c>, written by a dev-profile silo), then from the defaults.
/// </summary>
public sealed class CocoonClientOptions
{
    public const string DefaultGateway = "127.0.0.1:30000";
    public const string DefaultClusterId = "cocoon-dev";
    public const string DefaultServiceId = "cocoon";

    /// <summary>The data directory; <c>$COCOON_HOME</c> or <c>~/.cocoon</c> when unset.</summary>
    public string? Home { get; set; }

    /// <summary>Client gateways as <c>host:port</c>; empty means the running silo's (endpoints.json), else <see cref="DefaultGateway"/>.</summary>
    public List<string> Gateways { get; set; } = [];

    public string? ClusterId { get; set; }

    public string? ServiceId { get; set; }

    /// <summary>The account jobs are billed to; the dev profile's account (data directory) when unset.</summary>
    public string? AccountId { get; set; }

    /// <summary>How long connecting to the gateways may take before the client reports the cluster unreachable.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string DefaultModel { get; set; } = "echo";

    public int DefaultMaxTokens { get; set; } = 256;

    /// <summary>The highest node price coefficient accepted by default (per mille: 1000 = 1.0).</summary>
    public int DefaultMaxCoefficient { get; set; } = 4_000;

    /// <summary>How long a job may take, waiting for a node included, when the request names no deadline.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First pause while waiting for a node to serve the model; it doubles up to <see cref="NodeWaitMaxBackoff"/>.</summary>
    public TimeSpan NodeWaitInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan NodeWaitMaxBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long past a job's deadline the client keeps re-attaching to it when the connection breaks (a gateway or the
    /// job's core silo went away): the job may still finish and settle, and its result is read back by its id.
    /// </summary>
    public TimeSpan ReattachGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First pause before re-attaching to a job after a broken connection; it doubles up to <see cref="ReattachMaxBackoff"/>.</summary>
    public TimeSpan ReattachInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReattachMaxBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many times <see cref="ICocoonClient.CompleteAsync"/> continues a job whose node (or core silo) died mid-run,
    /// as a new job with the output so far; 0 turns continuation off.
    /// </summary>
    public int MaxContinuations { get; set; } = 3;

    /// <summary>Seal prompts to attested nodes: <c>Auto</c> (default) does when the nodes present evidence.</summary>
    public SealingMode Sealing { get; set; } = SealingMode.Auto;

    /// <summary>How many verified candidates a payload is sealed to: the job can fail over among them.</summary>
    public int SealToCandidates { get; set; } = 3;

    /// <summary>
    /// Attestation policy file (docs/attestation.md). Unset: the development policy (simulated evidence accepted) when
    /// the data directory holds a dev CA, else the default policy (Intel-rooted evidence only).
    /// </summary>
    public string? AttestationPolicyFile { get; set; }
}
