using System.Text.Json;

namespace Cocoon.Benchmarks.Load;

internal sealed class ScenarioInitContext(ScenarioInfo info, JsonElement? customSettings, TextWriter log, CancellationToken cancellationToken)
    : IScenarioInitContext
{
    private static readonly JsonSerializerOptions BindOptions = new() { PropertyNameCaseInsensitive = true };

    public ScenarioInfo ScenarioInfo => info;

    public JsonElement? CustomSettings => customSettings;

    public CancellationToken CancellationToken => cancellationToken;

    public TextWriter Log => log;

    public T? GetCustomSettings<T>()
    {
        if (customSettings is not { } json)
        {
            return default;
        }

        try
        {
            return json.Deserialize<T>(BindOptions);
        }
        catch (JsonException e)
        {
            throw new LoadConfigException(
                $"CustomSettings of scenario '{info.ScenarioName}' do not bind to {typeof(T).Name}: {e.Message}", e);
        }
    }
}
