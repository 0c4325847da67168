using System.Net;
using System.Net.Sockets;
using Cocoon.Grains.Nodes;
using Cocoon.Grains.Placement;
using Cocoon.Wallets;

namespace Cocoon.Silo.Hosting;

/// <summary>The silo's configuration (section <c>Cocoon</c> of appsettings.json, environment <c>Cocoon__*</c>, or command line).</summary>
public sealed class SiloSettings
{
    public string? Home { get; set; }
    /// <summary><c>core</c>, <c>worker</c> or <c>core,worker</c> (the single-machine default).</summary>
    public string Roles { get; set; } = "core,worker";
    /// <summary><c>dev</c> funds a dev account and accepts simulated evidence; <c>production</c> does neither.</summary>
    public string Profile { get; set; } = "dev";
    public string ClusterId { get; set; } = "cocoon-dev";
    public string ServiceId { get; set; } = "cocoon";
    /// <summary><c>localhost</c> (one machine) or <c>postgres</c>.</summary>
    public string Clustering { get; set; } = "localhost";
    /// <summary><c>sqlite</c> (single machine), <c>postgres</c> or <c>memory</c> (tests only: nothing survives a restart).</summary>
    public string Storage { get; set; } = "sqlite";
    /// <summary>The IP address (or host name) other silos and clients reach this silo at; required with postgres clustering.</summary>
    public string? AdvertisedAddress { get; set; }
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public int HttpPort { get; set; } = 8081;
    public string Region { get; set; } = "local";
    public List<NodeConfig> Nodes { get; set; } = [];
    /// <summary>Seconds a graceful shutdown waits for running jobs.</summary>
    public int DrainSeconds { get; set; } = 30;
    /// <summary>Dev profile: nanoTON the faucet gives the dev account on first start.</summary>
    public long DevFundingNano { get; set; } = 100_000_000_000;
    public TelemetrySettings Telemetry { get; set; } = new();
    /// <summary>
    /// <c>simulated</c>: nodes hold attested keys with simulated TDX evidence (dev CA in the data directory) and run only
    /// sealed payloads; <c>off</c>: keyless nodes, plaintext payloads. Unset: simulated in the dev profile, off otherwise.
    /// </summary>
    public string? Sealing { get; set; }
    /// <summary>With sealing on, also run plaintext payloads (the core then sees those prompts).</summary>
    public bool AllowPlaintext { get; set; }
    /// <summary>Entries in Orleans' grain directory cache (see <see cref="Cocoon.Grains.Hosting.CocoonSiloOptions.DirectoryCacheSize"/>).</summary>
    public int DirectoryCacheSize { get; set; } = Cocoon.Grains.Hosting.CocoonSiloOptions.DefaultDirectoryCacheSize;
    /// <summary>
    /// Orleans' dashboard at <c>/dashboard</c>. It times every grain call and keeps its own copy of Orleans' metrics;
    /// operators who read <c>/metrics</c> elsewhere can turn it off.
    /// </summary>
    public bool Dashboard { get; set; } = true;

    public bool SealingOn => (Sealing ?? (IsDev ? "simulated" : "off")) == "simulated";

    public sealed class TelemetrySettings
    {
        /// <summary><c>none</c>, <c>console</c> or <c>otlp</c>.</summary>
        public string Exporter { get; set; } = "none";
        public string? OtlpEndpoint { get; set; }

        /// <summary>Traces are collected (and trace context carried across grain calls) only when an exporter sends them somewhere.</summary>
        public bool TracesExported => Exporter is "console" or "otlp";
    }

    public SiloRole ParsedRoles => SiloMetadataKeys.ParseRoles(Roles);

    public bool IsDev => string.Equals(Profile, "dev", StringComparison.OrdinalIgnoreCase);

    public const string MissingConnectionString =
        "ConnectionStrings:Cocoon is not set: PostgreSQL needs a connection string from configuration " +
        "(environment ConnectionStrings__Cocoon, or --ConnectionStrings:Cocoon=...).";

    /// <summary>The advertised address as an IP: parsed, else the host name's first IPv4 (then any) address.</summary>
    public IPAddress ResolveAdvertisedAddress()
    {
        if (string.IsNullOrWhiteSpace(AdvertisedAddress)) throw new InvalidOperationException("Cocoon:AdvertisedAddress is not set.");
        if (IPAddress.TryParse(AdvertisedAddress, out var ip)) return ip;
        var addresses = Dns.GetHostAddresses(AdvertisedAddress);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"Cocoon:AdvertisedAddress '{AdvertisedAddress}' resolves to no address.");
    }

    /// <summary>Every problem with the configuration, each saying which setting to fix.</summary>
    public IReadOnlyList<string> Validate(string? connectionString = null)
    {
        var errors = new List<string>();
        SiloRole roles = SiloRole.None;
        try { roles = ParsedRoles; } catch (ArgumentException e) { errors.Add($"Cocoon:Roles: {e.Message}"); }
        if (roles == SiloRole.None && errors.Count == 0) errors.Add("Cocoon:Roles is empty: use core, worker or core,worker.");
        if (Profile is not ("dev" or "production")) errors.Add($"Cocoon:Profile '{Profile}' is unknown: use dev or production.");
        if (Clustering is not ("localhost" or "postgres")) errors.Add($"Cocoon:Clustering '{Clustering}' is unknown: use localhost or postgres.");
        if (Storage is not ("sqlite" or "postgres" or "memory")) errors.Add($"Cocoon:Storage '{Storage}' is unknown: use sqlite, postgres or memory.");
        if ((Clustering == "postgres" || Storage == "postgres") && string.IsNullOrWhiteSpace(connectionString))
            errors.Add(MissingConnectionString);
        if (Clustering == "postgres" && string.IsNullOrWhiteSpace(AdvertisedAddress))
            errors.Add("Cocoon:AdvertisedAddress is required with postgres clustering: the IP other silos and clients reach this silo at.");
        else if (Clustering == "postgres")
        {
            try { ResolveAdvertisedAddress(); }
            catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
            {
                errors.Add($"Cocoon:AdvertisedAddress '{AdvertisedAddress}' cannot be resolved: {e.Message}");
            }
        }
        foreach (var (name, port) in new[] { ("SiloPort", SiloPort), ("GatewayPort", GatewayPort), ("HttpPort", HttpPort) })
            if (port is < 1 or > 65535) errors.Add($"Cocoon:{name} {port} is not a TCP port (1-65535).");
        if (new[] { SiloPort, GatewayPort, HttpPort }.Distinct().Count() != 3)
            errors.Add($"Cocoon:SiloPort, GatewayPort and HttpPort must differ (got {SiloPort}, {GatewayPort}, {HttpPort}).");
        if (Telemetry.Exporter is not ("none" or "console" or "otlp"))
            errors.Add($"Cocoon:Telemetry:Exporter '{Telemetry.Exporter}' is unknown: use none, console or otlp.");
        if (Sealing is not (null or "simulated" or "off")) errors.Add($"Cocoon:Sealing '{Sealing}' is unknown: use simulated or off.");
        else if (Sealing == "simulated" && !IsDev) errors.Add("Cocoon:Sealing=simulated is for the dev profile only: simulated evidence proves nothing.");
        if (DrainSeconds < 0) errors.Add("Cocoon:DrainSeconds must not be negative.");
        if (DirectoryCacheSize < 1000)
            errors.Add($"Cocoon:DirectoryCacheSize {DirectoryCacheSize} is too small: at least 1000 (the hot grains' locations), 20000 by default.");
        if (roles.HasFlag(SiloRole.Worker) && Nodes.Count == 0) errors.Add("Cocoon:Nodes is empty but this silo has the worker role: configure at least one node.");
        foreach (var group in Nodes.GroupBy(n => n.Id).Where(g => g.Count() > 1))
            errors.Add($"Cocoon:Nodes: node id '{group.Key}' appears {group.Count()} times.");
        for (var i = 0; i < Nodes.Count; i++)
        {
            var n = Nodes[i];
            var at = $"Cocoon:Nodes:{i}";
            if (!Jobs.JobIds.IsValid(n.Id)) errors.Add($"{at}:Id '{n.Id}' must be 1-128 characters of A-Z a-z 0-9 . _ -");
            if (n.Models.Count == 0) errors.Add($"{at}:Models is empty: name at least one model (echo, cocoon-tiny).");
            if (n.PriceCoefficient <= 0) errors.Add($"{at}:PriceCoefficient must be positive (1000 = 1.0).");
            if (n.MemoryBudgetMiB is <= 0) errors.Add($"{at}:MemoryBudgetMiB must be positive (MiB), or unset for 80% of the available memory.");
            if (n.MaxActive <= 0) errors.Add($"{at}:MaxActive must be positive.");
            if (n.QueueLimit < 0) errors.Add($"{at}:QueueLimit must not be negative.");
            if (!Accounts.IsValid(n.OwnerAccount) || Accounts.IsSystem(n.OwnerAccount))
                errors.Add($"{at}:OwnerAccount '{n.OwnerAccount}' is not a valid account id.");
        }
        return errors;
    }
}
