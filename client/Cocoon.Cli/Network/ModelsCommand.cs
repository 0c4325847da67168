using System.CommandLine;
using Cocoon.Cli.Hosting;
using Spectre.Console;

namespace Cocoon.Cli.Network;

/// <summary><c>cocoon models</c>: the models the network allows and how many live nodes serve each.</summary>
public static class ModelsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("models", "List the models the network allows.") { json };
        command.SetAction((parse, cancellationToken) => runner.Run(parse, null, async client =>
        {
            var models = await client.ListModelsAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                await runner.IO.Out.WriteLineAsync(Json.Object(w =>
                {
                    w.WriteStartArray("models");
                    foreach (var m in models)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", m.Name);
                        w.WriteNumber("nodes", m.Nodes);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }));
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("Model", "Live nodes");
            foreach (var m in models) table.AddRow(Markup.Escape(m.Name), m.Nodes.ToString());
            Tables.Console(runner.IO.Out).Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
