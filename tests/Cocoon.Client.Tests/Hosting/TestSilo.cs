namespace Cocoon.Client.Tests.Hosting;

/// <summary>The silo these tests run against: memory store, its own dev chain, and one allowed model no node serves.</summary>
public static class TestSilo
{
    public const string UnservedModel = "client-tests-unserved";

    public static async Task<SiloProcess> StartAsync(TimeSpan readyWithin, params string[] extraArgs)
    {
        var silo = await SiloProcess.StartAsync(
        [
            "--Cocoon:Storage=memory",
            // Each silo its own dev chain on a free port: parallel silos would otherwise share 8090.
            "--Cocoon:DevChain:Port=0",
            // Allowed by the registry but served by no node: how a model looks while it is still loading.
            $"--Cocoon:Network:AllowedModels:99={UnservedModel}",
            .. extraArgs,
        ], readyWithin, "cocoon-client-tests-");
        // The silo creates the dev account key at start; clients sign with it, so it must exist before they connect.
        await Eventually.True(() => Task.FromResult(File.Exists(Cocoon.Hosting.CocoonHome.DevAccountKeyFile(silo.Home))),
            TimeSpan.FromSeconds(60), () => $"the dev account key was not created:{Environment.NewLine}{silo.OutputTail}");
        return silo;
    }
}
