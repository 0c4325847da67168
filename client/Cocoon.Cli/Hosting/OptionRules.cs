using System.CommandLine;

namespace Cocoon.Cli.Hosting;

/// <summary>Adds a value rule to an option; a value that does not even parse is left to the parser's own error.</summary>
public static class OptionRules
{
    public static Option<T> Require<T>(this Option<T> option, Func<T, bool> valid, string message)
    {
        option.Validators.Add(r =>
        {
            T value;
            try { value = r.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; }
            if (!valid(value)) r.AddError(message);
        });
        return option;
    }
}
