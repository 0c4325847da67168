using Cocoon.Cli;
using Cocoon.Cli.Hosting;

Console.OutputEncoding = System.Text.Encoding.UTF8;
return await CocoonCli.InvokeAsync(args, CliIO.System, handleTermination: true);
