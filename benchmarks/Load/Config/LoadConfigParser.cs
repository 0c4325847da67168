using System.Text.Json;

namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Reads a load config. Layout (NBomber's, names case-insensitive; settings may also sit at the top level):
/// <code>
/// { "TestName": "cocoon", "TargetScenarios": ["selftest-http"],
///   "GlobalSettings": {
///     "ReportFolder": "reports/x", "ReportFileName": "report", "ReportFormats": ["Html", "Md", "Txt", "Csv"],
///     "ScenariosSettings": [ {
///       "ScenarioName": "selftest-http", "WarmUpDuration": "00:00:02",
///       "LoadSimulationsSettings": [ { "RampingInject": [100, "1s", "10s"] }, { "Inject": [100, "1s", "30s"] },
///                                    { "KeepConstant": [10, "30s"] }, { "Pause": "5s" } ],
///       "Thresholds": ["fail percent &lt; 1", "p99 &lt; 50ms", { "Step": "get", "Expression": "p95 &lt; 20ms" }],
///       "Slo": { "Latency": "2s", "TimeToFirstToken": "500ms", "TimePerOutputToken": "50ms" },
///       "MaxConcurrency": 1000, "DrainTimeout": "30s", "CustomSettings": { "delayMs": 5 } } ] } }
/// </code>
/// Unknown names are errors, so a typo cannot silently fall back to a default.
/// </summary>
public static class LoadConfigParser
{
    // Static fields initialize in text order: GlobalLevel must come before TopLevel, which spreads it.
    private static readonly string[] GlobalLevel = ["ReportFolder", "ReportFileName", "ReportFormats", "ScenariosSettings"];
    private static readonly string[] TopLevel = ["TestSuite", "TestName", "TargetScenarios", "GlobalSettings", .. GlobalLevel];
    private static readonly string[] ScenarioLevel =
        ["ScenarioName", "WarmUpDuration", "LoadSimulationsSettings", "Thresholds", "Slo", "MaxConcurrency", "DrainTimeout", "CustomSettings"];

    /// <exception cref="LoadConfigException">The file is missing, not JSON, or has a bad setting.</exception>
    public static LoadConfig Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new LoadConfigException($"Cannot read config file '{path}': {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <exception cref="LoadConfigException">Not JSON, or a bad setting; the message names <paramref name="source"/> and the JSON path.</exception>
    public static LoadConfig Parse(string json, string source = "config")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new LoadConfigException($"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", e);
        }

        using (document)
        {
            var reader = new Reader(source);
            return reader.ReadConfig(document.RootElement);
        }
    }

    private sealed class Reader(string source)
    {
        public LoadConfig ReadConfig(JsonElement root)
        {
            Expect(root, JsonValueKind.Object, "$");
            CheckNames(root, "$", TopLevel);
            var global = Property(root, "GlobalSettings") is { } g ? g : (JsonElement?)null;
            if (global is { } gs)
            {
                Expect(gs, JsonValueKind.Object, "$.GlobalSettings");
                CheckNames(gs, "$.GlobalSettings", GlobalLevel);
            }

            JsonElement? Setting(string name, out string path)
            {
                if (global is { } gs2 && Property(gs2, name) is { } inGlobal)
                {
                    path = $"$.GlobalSettings.{name}";
                    return inGlobal;
                }

                path = $"$.{name}";
                return Property(root, name);
            }

            var testName = OptionalString(Property(root, "TestName"), "$.TestName");
            var targets = Property(root, "TargetScenarios") is { } t ? StringArray(t, "$.TargetScenarios") : [];
            var folder = OptionalString(Setting("ReportFolder", out var folderPath), folderPath);
            var fileName = OptionalString(Setting("ReportFileName", out var filePath), filePath);
            IReadOnlyList<ReportFormat>? formats = null;
            if (Setting("ReportFormats", out var formatsPath) is { } f)
            {
                formats = [.. StringArray(f, formatsPath).Select((name, i) => Enum.TryParse<ReportFormat>(name, ignoreCase: true, out var format)
                    ? format
                    : throw Error($"{formatsPath}[{i}]", $"unknown report format '{name}'; expected one of {string.Join(", ", Enum.GetNames<ReportFormat>())}"))];
            }

            var scenarios = new List<ScenarioSettings>();
            if (Setting("ScenariosSettings", out var scenariosPath) is { } list)
            {
                Expect(list, JsonValueKind.Array, scenariosPath);
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    scenarios.Add(ReadScenario(item, $"{scenariosPath}[{i++}]"));
                }
            }

            var duplicate = scenarios.GroupBy(s => s.ScenarioName).FirstOrDefault(g2 => g2.Count() > 1);
            if (duplicate is not null)
            {
                throw Error(scenariosPath, $"scenario '{duplicate.Key}' has settings twice");
            }

            return new LoadConfig(testName, targets, folder, fileName, formats, scenarios);
        }

        private ScenarioSettings ReadScenario(JsonElement e, string path)
        {
            Expect(e, JsonValueKind.Object, path);
            CheckNames(e, path, ScenarioLevel);
            var name = OptionalString(Property(e, "ScenarioName"), $"{path}.ScenarioName");
            if (string.IsNullOrWhiteSpace(name))
            {
                throw Error(path, "ScenarioName is required");
            }

            IReadOnlyList<LoadSimulation>? simulations = null;
            if (Property(e, "LoadSimulationsSettings") is { } sims)
            {
                var simsPath = $"{path}.LoadSimulationsSettings";
                Expect(sims, JsonValueKind.Array, simsPath);
                simulations = [.. sims.EnumerateArray().Select((s, i) => ReadSimulation(s, $"{simsPath}[{i}]"))];
                if (simulations.Count == 0)
                {
                    throw Error(simsPath, "needs at least one simulation");
                }
            }

            IReadOnlyList<Threshold>? thresholds = null;
            if (Property(e, "Thresholds") is { } ths)
            {
                Expect(ths, JsonValueKind.Array, $"{path}.Thresholds");
                thresholds = [.. ths.EnumerateArray().Select((th, i) => ReadThreshold(th, $"{path}.Thresholds[{i}]"))];
            }

            int? maxConcurrency = null;
            if (Property(e, "MaxConcurrency") is { } mc)
            {
                maxConcurrency = mc.ValueKind == JsonValueKind.Number && mc.TryGetInt32(out var v) && v > 0
                    ? v
                    : throw Error($"{path}.MaxConcurrency", "must be a positive whole number");
            }

            return new ScenarioSettings(
                name,
                Property(e, "WarmUpDuration") is { } w ? Duration(w, $"{path}.WarmUpDuration") : null,
                simulations,
                thresholds,
                Property(e, "Slo") is { } slo ? ReadSlo(slo, $"{path}.Slo") : null,
                maxConcurrency,
                Property(e, "DrainTimeout") is { } d ? Duration(d, $"{path}.DrainTimeout") : null,
                Property(e, "CustomSettings") is { } custom ? custom.Clone() : null);
        }

        private LoadSimulation ReadSimulation(JsonElement e, string path)
        {
            Expect(e, JsonValueKind.Object, path);
            var properties = e.EnumerateObject().ToArray();
            if (properties.Length != 1)
            {
                throw Error(path, "a simulation is an object with one property, e.g. { \"Inject\": [100, \"1s\", \"30s\"] }");
            }

            var kind = properties[0].Name;
            var args = properties[0].Value.ValueKind == JsonValueKind.Array
                ? properties[0].Value.EnumerateArray().ToArray()
                : [properties[0].Value];
            var at = $"{path}.{kind}";
            try
            {
                switch (kind.ToLowerInvariant())
                {
                    case "inject":
                        Arity(args, 3, at, "[rate, interval, during]");
                        return Simulation.Inject(Int(args[0], $"{at}[0]"), Duration(args[1], $"{at}[1]"), Duration(args[2], $"{at}[2]"));
                    case "rampinginject":
                        Arity(args, 3, at, "[rate, interval, during]");
                        return Simulation.RampingInject(Int(args[0], $"{at}[0]"), Duration(args[1], $"{at}[1]"), Duration(args[2], $"{at}[2]"));
                    case "keepconstant":
                        Arity(args, 2, at, "[copies, during]");
                        return Simulation.KeepConstant(Int(args[0], $"{at}[0]"), Duration(args[1], $"{at}[1]"));
                    case "rampingconstant":
                        Arity(args, 2, at, "[copies, during]");
                        return Simulation.RampingConstant(Int(args[0], $"{at}[0]"), Duration(args[1], $"{at}[1]"));
                    case "pause":
                        Arity(args, 1, at, "\"during\"");
                        return Simulation.Pause(Duration(args[0], at));
                    case "iterationsforconstant":
                        Arity(args, 2, at, "[copies, iterations]");
                        return Simulation.IterationsForConstant(Int(args[0], $"{at}[0]"), Int(args[1], $"{at}[1]"));
                    case "iterationsforinject":
                        Arity(args, 3, at, "[rate, interval, iterations]");
                        return Simulation.IterationsForInject(Int(args[0], $"{at}[0]"), Duration(args[1], $"{at}[1]"), Int(args[2], $"{at}[2]"));
                    default:
                        throw Error(path, $"unknown simulation '{kind}'; expected one of Inject, RampingInject, KeepConstant, RampingConstant, Pause, IterationsForConstant, IterationsForInject");
                }
            }
            catch (ArgumentException ex)
            {
                throw Error(at, $"out of range: {ex.Message}");
            }
        }

        private Threshold ReadThreshold(JsonElement e, string path)
        {
            string expression;
            string? step = null;
            if (e.ValueKind == JsonValueKind.String)
            {
                expression = e.GetString()!;
            }
            else
            {
                Expect(e, JsonValueKind.Object, path);
                CheckNames(e, path, ["Step", "Expression"]);
                expression = OptionalString(Property(e, "Expression"), $"{path}.Expression") ?? throw Error(path, "Expression is required");
                step = OptionalString(Property(e, "Step"), $"{path}.Step");
            }

            try
            {
                return Threshold.Parse(expression, step);
            }
            catch (ThresholdFormatException ex)
            {
                throw Error(path, ex.Message);
            }
        }

        private Slo ReadSlo(JsonElement e, string path)
        {
            Expect(e, JsonValueKind.Object, path);
            CheckNames(e, path, ["Latency", "TimeToFirstToken", "TimePerOutputToken"]);
            var slo = new Slo(
                Property(e, "Latency") is { } l ? Duration(l, $"{path}.Latency") : null,
                Property(e, "TimeToFirstToken") is { } t ? Duration(t, $"{path}.TimeToFirstToken") : null,
                Property(e, "TimePerOutputToken") is { } p ? Duration(p, $"{path}.TimePerOutputToken") : null);
            return slo.Latency is null && slo.TimeToFirstToken is null && slo.TimePerOutputToken is null
                ? throw Error(path, "set at least one of Latency, TimeToFirstToken, TimePerOutputToken")
                : slo;
        }

        private void Arity(JsonElement[] args, int count, string path, string shape)
        {
            if (args.Length != count)
            {
                throw Error(path, $"expects {shape}, got {args.Length} value(s)");
            }
        }

        private int Int(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : throw Error(path, $"expected a whole number, got {Show(e)}");

        private TimeSpan Duration(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.String && DurationText.TryParse(e.GetString(), out var d)
                ? d
                : throw Error(path, $"expected a duration such as \"500ms\", \"30s\" or \"00:00:30\", got {Show(e)}");

        private string? OptionalString(JsonElement? e, string path) =>
            e is not { } v || v.ValueKind == JsonValueKind.Null ? null
            : v.ValueKind == JsonValueKind.String ? v.GetString()
            : throw Error(path, $"expected a string, got {Show(v)}");

        private string[] StringArray(JsonElement e, string path)
        {
            Expect(e, JsonValueKind.Array, path);
            return [.. e.EnumerateArray().Select((x, i) => OptionalString(x, $"{path}[{i}]") ?? throw Error($"{path}[{i}]", "expected a string"))];
        }

        private void Expect(JsonElement e, JsonValueKind kind, string path)
        {
            if (e.ValueKind != kind)
            {
                throw Error(path, $"expected {(kind == JsonValueKind.Object ? "an object" : "an array")}, got {Show(e)}");
            }
        }

        private void CheckNames(JsonElement e, string path, string[] allowed)
        {
            foreach (var property in e.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    throw Error($"{path}.{property.Name}", $"unknown setting; expected one of {string.Join(", ", allowed)}");
                }
            }
        }

        private static JsonElement? Property(JsonElement e, string name)
        {
            foreach (var property in e.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }

            return null;
        }

        private static string Show(JsonElement e)
        {
            var raw = e.GetRawText();
            return raw.Length > 40 ? raw[..40] + "…" : raw;
        }

        private LoadConfigException Error(string path, string message) => new($"{source}: {path}: {message}");
    }
}
