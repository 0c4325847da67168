using Cocoon.Grains;
using Cocoon.Grains.Hosting;
using Cocoon.Grains.Nodes;
using Cocoon.Grains.Placement;
using Cocoon.Grains.Telemetry;
using Cocoon.Hosting;
using Cocoon.Registry;
using Cocoon.Silo.Hosting;
using Cocoon.Silo.Storage;
using Cocoon.Silo.Storage.Postgres;
using Orleans.Configuration;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// `db init` creates or upgrades the PostgreSQL schema and exits; every other argument is configuration.
var dbInit = args is ["db", "init", ..];
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = dbInit ? args[2..] : args,
    // appsettings.json sits beside the binary, wherever `dotnet run --project silo` is started from.
    ContentRootPath = AppContext.BaseDirectory,
});

// Secrets come from configuration only (ConnectionStrings:Cocoon, env ConnectionStrings__Cocoon), never from code.
var connectionString = builder.Configuration.GetConnectionString("Cocoon");
if (dbInit)
    return await DatabaseInit.RunAsync(connectionString);

var settings = builder.Configuration.GetSection("Cocoon").Get<SiloSettings>() ?? new SiloSettings();
var tlsSettings = builder.Configuration.GetSection("Cocoon:Tls").Get<TlsSettings>() ?? new TlsSettings();
var confidentialSettings = builder.Configuration.GetSection("Cocoon:Confidential").Get<ConfidentialSettings>() ?? new ConfidentialSettings();
var problems = settings.Validate(connectionString).Concat(ClusterTlsHosting.Validate(tlsSettings, confidentialSettings, settings.IsDev)).ToList();
if (problems.Count > 0)
{
    Console.Error.WriteLine("The silo's configuration is not valid:");
    foreach (var p in problems) Console.Error.WriteLine($"  - {p}");
    return 2;
}
builder.Services.Configure<SiloSettings>(builder.Configuration.GetSection("Cocoon"));

var home = CocoonHome.Resolve(settings.Home);
Directory.CreateDirectory(home);
if (SecretsCheck.Problems(home, builder.Configuration["Cocoon:Chain:MnemonicFile"]) is { Count: > 0 } exposed)
{
    Console.Error.WriteLine("Refusing to start: secrets readable by group or others:");
    foreach (var p in exposed) Console.Error.WriteLine($"  - {p}");
    return 2;
}
var roles = settings.ParsedRoles;
// The dev account key exists before anything starts: `cocoon serve` (a child) and the CLI sign with it.
if (settings.IsDev && roles.HasFlag(SiloRole.Core)) DevProfileService.EnsureDevKey(home);
Cocoon.Grains.ClusterTls.SiloTlsOptions? clusterTls;
try { clusterTls = ClusterTlsHosting.Create(tlsSettings, confidentialSettings, settings.IsDev, home, $"cocoon silo {settings.ClusterId} {settings.Roles}", TimeProvider.System); }
catch (ClusterTlsConfigurationException e) { Console.Error.WriteLine(e.Message); return 2; }

RunningDevChain? devChain;
using (var startupLog = LoggerFactory.Create(l => l.AddConsole()))
{
    try
    {
        devChain = await ChainHosting.ConfigureAsync(builder.Configuration, settings, home, builder.Services, startupLog.CreateLogger("Cocoon.Silo.Chain"));
    }
    catch (Exception e) when (e is Cocoon.Grains.Chain.DepositWalletException or Cocoon.Grains.Payouts.TreasuryWalletException)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
}

builder.WebHost.UseUrls($"http://127.0.0.1:{settings.HttpPort}");
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.DrainSeconds + 10));
builder.Services.Configure<DrainOptions>(o => o.Timeout = TimeSpan.FromSeconds(settings.DrainSeconds));

builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = settings.ClusterId;
        o.ServiceId = settings.ServiceId;
    });
    if (settings.Clustering == "localhost")
        silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
    else
    {
        silo.ConfigureEndpoints(settings.ResolveAdvertisedAddress(), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        silo.UsePostgresCluster(connectionString!);
        silo.Configure<ClusterMembershipOptions>(ClusterTiming.Apply);
    }

    switch (settings.Storage)
    {
        case "memory":
            silo.AddMemoryGrainStorage(CocoonStorage.Name);
            break;
        case "sqlite":
            silo.AddSqliteGrainStorage(CocoonStorage.Name, o => o.DatabasePath = CocoonHome.GrainStore(home));
            break;
        case "postgres":
            silo.AddPostgresGrainStorage(connectionString!);
            break;
    }

    if (clusterTls is not null) Cocoon.Grains.ClusterTls.SiloTlsExtensions.UseCocoonTls(silo, clusterTls);
    // Trace context crosses grain calls only when traces go somewhere: with no exporter every call would still build
    // activities that nothing reads (about a tenth of a job's silo CPU, docs/benchmarks.md).
    if (settings.Telemetry.TracesExported) silo.AddActivityPropagation();
    if (settings.Dashboard) silo.AddDashboard();
    silo.AddCocoon(new CocoonSiloOptions
    {
        Roles = roles,
        Region = settings.Region,
        Nodes = settings.Nodes,
        DirectoryCacheSize = settings.DirectoryCacheSize,
        Torch = new TorchModelLoaderOptions
        {
            ModelsDirectory = Path.Combine(home, "models"),
            Folders = builder.Configuration.GetSection("Cocoon:Models").Get<Dictionary<string, string>>() ?? [],
        },
        Security = builder.Configuration.GetSection("Cocoon:Security").Get<Cocoon.Grains.Security.InternalCallFilterOptions>() ?? new(),
        Echo = builder.Configuration.GetSection("Cocoon:Echo").Get<Cocoon.Inference.Echo.EchoOptions>() ?? new(),
        Network = builder.Configuration.GetSection("Cocoon:Network").Get<NetworkParameters>() ?? new NetworkParameters(),
        Confidential = settings.SealingOn ? new ConfidentialOptions { Home = home, AllowPlaintext = settings.AllowPlaintext, DevCaPath = confidentialSettings.DevCaPath } : null,
    });
});

var telemetry = builder.Services.AddOpenTelemetry()
    .WithMetrics(m =>
    {
        m.AddMeter(CocoonTelemetry.Name, "Microsoft.Orleans", "System.Runtime"); // System.Runtime: GC, allocation, thread pool, locks
        m.AddPrometheusExporter();
        if (settings.Telemetry.Exporter == "console") m.AddConsoleExporter();
        if (settings.Telemetry.Exporter == "otlp") m.AddOtlpExporter(o => { if (settings.Telemetry.OtlpEndpoint is { } e) o.Endpoint = new Uri(e); });
    });
if (settings.Telemetry.TracesExported)
{
    telemetry.WithTracing(t =>
    {
        t.AddSource(CocoonTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
        t.AddAspNetCoreInstrumentation();
        if (settings.Telemetry.Exporter == "console") t.AddConsoleExporter();
        if (settings.Telemetry.Exporter == "otlp") t.AddOtlpExporter(o => { if (settings.Telemetry.OtlpEndpoint is { } e) o.Endpoint = new Uri(e); });
    });
}

builder.Services.AddHostedService<EndpointsFile>();
builder.Services.AddHostedService<ServeChildProcess>();
if (settings.IsDev && roles.HasFlag(SiloRole.Core))
    builder.Services.AddHostedService<DevProfileService>();
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapGet("/healthz", () => Results.Text("ok"));
app.MapGet("/readyz", async (IClusterClient client, ISiloStatusOracle oracle) =>
{
    var active = oracle.CurrentStatus == SiloStatus.Active;
    return active ? Results.Text("ready") : Results.Text($"not ready: {oracle.CurrentStatus}", statusCode: 503);
});
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapCocoonAudit();
app.MapReconciliation();
app.MapSuspense();
if (settings.Dashboard) app.MapOrleansDashboard("/dashboard");

try
{
    await app.RunAsync();
}
finally
{
    if (devChain is not null) await devChain.DisposeAsync();
}
return 0;
