using Cocoon.Cli.Hosting;

namespace Cocoon.Cli;

/// <summary>
/// The `cocoon` entry point. Not top-level statements: those make a public global <c>Program</c> in a web project,
/// which collides with the <c>Program</c> of any executable that references this one (the benchmarks do).
/// </summary>
internal static class CocoonProgram
{
    public static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = System.Text.Encoding.UTF8;
        return await CocoonCli.InvokeAsync(args, CliIO.System, handleTermination: true);
    }
}
