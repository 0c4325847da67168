using Cocoon.Confidential.Sealing;

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

    /// <summary>
    /// The account jobs are billed to, when the client holds several keys (<see cref="AccountKeys"/>); unset: the
    /// account of <see cref="AccountKey"/>, else of <see cref="AccountKeyFile"/>, else the dev account (data directory).
    /// </summary>
    public string? AccountId { get; set; }

    /// <summary>The account key every public call is signed with (the account id derives from it).</summary>
    public Security.AccountKey? AccountKey { get; set; }

    /// <summary>A key file (<c>cocoon keys create</c>; mode 0600) to sign with when <see cref="AccountKey"/> is unset.</summary>
    public string? AccountKeyFile { get; set; }

    /// <summary>More keys the client may sign with, chosen by a request's account id (an endpoint serving several accounts).</summary>
    public List<Security.AccountKey> AccountKeys { get; set; } = [];

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
    /// How long past a job's deadline the client keeps calling when the connection breaks (a gateway or the job's core
    /// silo went away): a job never admitted is submitted again by its id, a running one may still finish and settle
    /// and its result is read back. Back-off as for <see cref="NodeWaitInitialBackoff"/>.
    /// </summary>
    public TimeSpan ReattachGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Seal prompts to attested nodes: <c>Auto</c> (default) does when the nodes present evidence.</summary>
    public SealingMode Sealing { get; set; } = SealingMode.Auto;

    /// <summary>How many verified candidates a payload is sealed to: the job can fail over among them.</summary>
    public int SealToCandidates { get; set; } = 3;

    /// <summary>
    /// How long this client seals with one X25519 sender key (envelope version 2, docs/sealing.md) before it draws
    /// another; a key also retires after 65,536 envelopes. Each node then pays one key agreement per sender key, not one
    /// per job. <see cref="TimeSpan.Zero"/> draws a fresh ephemeral key per envelope (version 1).
    /// </summary>
    public TimeSpan SenderKeyLifetime { get; set; } = SenderKeyRing.DefaultLifetime;

    /// <summary>
    /// Attestation policy file (docs/attestation.md). Unset: the development policy (simulated evidence accepted) when
    /// the data directory holds a dev CA, else the default policy (Intel-rooted evidence only).
    /// </summary>
    public string? AttestationPolicyFile { get; set; }

    /// <summary>
    /// How many continuation jobs may follow a job that failed mid-stream (its node died and the network's retries were
    /// spent, or it could not be re-attached); 0 turns resumption off and the failure is reported as it is.
    /// </summary>
    public int MaxResumes { get; set; } = 3;

    /// <summary>
    /// How long the client reuses what it read from the network for a new job: the network parameters and each model's
    /// node list (the candidates a prompt is sealed to). A job that finds no node refreshes them; <c>0</c> reads them
    /// for every job. The silos check every job against their own copy, so a stale list can only cost a retry.
    /// </summary>
    public TimeSpan NetworkCacheTtl { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the content keys of sealed jobs are kept (<see cref="SealedKeyStore"/>): a job id run again after that
    /// replays output this client can no longer open.
    /// </summary>
    public TimeSpan SealedKeyRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many times one job's broken stream (lost connection, dead core silo) is re-attached by its id.</summary>
    public int MaxReattaches { get; set; } = 5;

    /// <summary>The dev CA folder whose root the client pins for simulated evidence; unset: <c>$COCOON_DEV_CA</c>, else the data directory's <c>dev-ca</c>. Only the public root certificate is read.</summary>
    public string? DevCaPath { get; set; }

    /// <summary>Collateral for Intel-rooted quotes from a file or folder; unset: <c>$COCOON_COLLATERAL</c>.</summary>
    public string? CollateralPath { get; set; }

    /// <summary>Intel PCS or a PCCS base URL for collateral, cached in the data directory's <c>collateral/</c>; unset: <c>$COCOON_PCS_URL</c>.</summary>
    public string? PcsUrl { get; set; }

    /// <summary>Connect to the gateways over TLS (silos with <c>Cocoon:Tls:Gateway=server</c>); the client presents no certificate.</summary>
    public bool GatewayTls { get; set; }

    /// <summary>PEM bundle of the authorities the gateway's certificate must chain to; unset: the system's trusted roots.</summary>
    public string? GatewayCaPath { get; set; }
}
