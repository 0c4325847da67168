using Spectre.Console;

namespace Cocoon.Cli.Hosting;

/// <summary>A Spectre console over the command's output: tables for people, plain when the output is not a terminal.</summary>
public static class Tables
{
    public static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        // Piped or captured output has no terminal width: don't squeeze ids into 80 columns.
        if (!console.Profile.Out.IsTerminal) console.Profile.Width = 200;
        return console;
    }
}
