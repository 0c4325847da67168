namespace Cocoon.Cli.Hosting;

/// <summary>The streams a command reads and writes: the process's own, or captured ones in tests.</summary>
public sealed record CliIO(TextWriter Out, TextWriter Error, TextReader In)
{
    public static CliIO System => new(Console.Out, Console.Error, Console.In);
}
