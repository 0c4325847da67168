using Cocoon.Ton.DevChain;
using Cocoon.Ton.Toncenter;

namespace Cocoon.DevChain.Tests;

/// <summary>One dev chain for a test collection: a free loopback port, a fresh temporary data directory.</summary>
public sealed class DevChainFixture : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "cocoon-devchain-tests-" + Guid.NewGuid().ToString("N"));
    private DevChainProcess? chain;

    public DevChainProcess Chain => chain ?? throw new InvalidOperationException("the dev chain is not started");

    public ToncenterClient Toncenter { get; private set; } = null!;

    public DevChainHooks Hooks { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        chain = await DevChainProcess.StartAsync(new DevChainOptions { DataDirectory = dataDirectory });
        Toncenter = new ToncenterClient(chain.ToncenterOptions());
        Hooks = new DevChainHooks(chain.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        Toncenter?.Dispose();
        Hooks?.Dispose();
        if (chain is not null)
        {
            await chain.DisposeAsync();
        }

        TestPaths.DeleteQuietly(dataDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class DevChainCollection : ICollectionFixture<DevChainFixture>
{
    public const string Name = "dev chain";
}
