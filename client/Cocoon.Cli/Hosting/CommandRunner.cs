using System.CommandLine;
using Cocoon.Client;

namespace Cocoon.Cli.Hosting;

/// <summary>Connects, runs a command's body, and turns every error into a message on stderr and its exit code.</summary>
public sealed class CommandRunner(CliIO io, GlobalOptions global)
{
    public CliIO IO => io;

    public GlobalOptions Global => global;

    public async Task<int> Run(ParseResult parse, string? account, Func<ICocoonClient, Task<int>> body, CancellationToken cancellationToken,
        Action<CocoonClientOptions>? configure = null)
    {
        try
        {
            var options = global.Configure(parse, account);
            await using var session = await CocoonClientSession.ConnectAsync(o => { options(o); configure?.Invoke(o); }, cancellationToken: cancellationToken);
            return await body(session.Client);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>Writes the error for a person (what happened, what to do) and returns its exit code.</summary>
    public int Fail(Exception e)
    {
        var code = ExitCodes.ForError(e);
        var message = e switch
        {
            OperationCanceledException => "cancelled.",
            Errors.CocoonException => e.Message,
            FormatException => e.Message,
            IOException => e.Message,
            _ => $"unexpected {e.GetType().Name}: {e.Message}",
        };
        io.Error.WriteLine($"error: {message}");
        return code;
    }
}
