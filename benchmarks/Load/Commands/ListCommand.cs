using System.CommandLine;

namespace Cocoon.Benchmarks.Load.Commands;

/// <summary><c>list</c>: one scenario a line, its name first, then what it does.</summary>
internal static class ListCommand
{
    public static Command Create(IScenarioCatalog catalog, TextWriter output)
    {
        var command = new Command("list", "List the load scenarios: name, then a short description.");
        command.SetAction(_ =>
        {
            var width = catalog.Entries.Count == 0 ? 0 : catalog.Entries.Max(e => e.Name.Length);
            foreach (var entry in catalog.Entries)
            {
                output.WriteLine($"{entry.Name.PadRight(width)}  {entry.Description}");
            }

            return 0;
        });
        return command;
    }
}
