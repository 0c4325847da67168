namespace Cocoon.Ton.DevChain;

/// <summary>How to start a dev chain child process.</summary>
public sealed record DevChainOptions
{
    /// <summary>Where the chain keeps its state; a restart with the same directory keeps accounts and history.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Loopback port; 0 lets the dev chain pick a free one (race-free) and report it.</summary>
    public int Port { get; init; }

    /// <summary>Loopback address to bind.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The <c>silo/devchain</c> folder; <see cref="DevChainProcess.FindDevChainDirectory"/> when null.</summary>
    public string? DevChainDirectory { get; init; }

    public string NodeExecutable { get; init; } = "node";

    public string NpmExecutable { get; init; } = "npm";

    /// <summary>Deadline for the ready line once node runs.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Deadline for <c>npm ci</c> when node_modules is missing.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait after SIGTERM (the chain saves its state) before killing it.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
