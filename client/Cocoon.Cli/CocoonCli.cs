using System.CommandLine;
using System.CommandLine.Parsing;
using Cocoon.Cli.Hosting;
using Cocoon.Cli.Jobs;
using Cocoon.Cli.Network;
using Cocoon.Cli.Wallets;

namespace Cocoon.Cli;

/// <summary>The <c>cocoon</c> command tree and its entry point, callable in-process with captured streams.</summary>
public static class CocoonCli
{
    public static RootCommand CreateRootCommand(CliIO io)
    {
        var global = new GlobalOptions();
        var runner = new CommandRunner(io, global);
        var root = new RootCommand("cocoon: run confidential inference jobs on a Cocoon network, and inspect it.");
        global.AddTo(root);
        root.Add(RunCommand.Create(runner));
        root.Add(Cocoon.Cli.Chat.ChatCommand.Create(runner));
        root.Add(NodesCommand.Create(runner));
        root.Add(ModelsCommand.Create(runner));
        root.Add(BalanceCommand.Create(runner));
        root.Add(JobsCommand.Create(runner));
        root.Add(Cocoon.Cli.Serve.ServeCommand.Create(runner));
        root.Add(Cocoon.Cli.Payouts.WithdrawCommand.Create(runner));
        root.Add(Cocoon.Cli.Payouts.DepositCommand.Create(runner));
        root.Add(Cocoon.Cli.Payouts.ReconcileCommand.Create(runner));

        // Offline tools: they need no cluster.
        root.Add(Cocoon.Cli.Ton.TonCommand.Create());
        root.Add(Cocoon.Cli.Attest.AttestCommand.Create());
        root.Add(Cocoon.Cli.Keys.KeysCommand.Create(io, global));
        root.Add(Cocoon.Cli.Keys.ApiKeysCommand.Create(io, global));
        root.Add(Cocoon.Cli.Audit.AuditCommand.Create(io, global));
        root.Add(Cocoon.Cli.Audit.SuspenseCommand.Create(io, global));
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Usage errors print to stderr and return <see cref="ExitCodes.Usage"/>;
    /// <paramref name="handleTermination"/> lets Ctrl+C cancel the running command (off in tests).
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, CliIO io, bool handleTermination = false, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand(io);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await io.Error.WriteLineAsync($"error: {error.Message}");
            await io.Error.WriteLineAsync($"See `{CommandPath(parse.CommandResult)} --help`.");
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration
        {
            Output = io.Out,
            Error = io.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = handleTermination ? TimeSpan.FromSeconds(5) : null,
        };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e)
        {
            return new CommandRunner(io, new GlobalOptions()).Fail(e);
        }
    }

    /// <summary>The words that name a command, from the root: <c>cocoon jobs show</c>.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new Stack<string>();
        for (SymbolResult? r = command; r is CommandResult c; r = c.Parent)
            names.Push(c.Parent is null ? "cocoon" : c.Command.Name);
        return string.Join(' ', names);
    }
}
