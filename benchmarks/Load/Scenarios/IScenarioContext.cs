namespace Cocoon.Benchmarks.Load;

/// <summary>What one iteration of a scenario sees (NBomber's <c>IScenarioContext</c>).</summary>
public interface IScenarioContext
{
    ScenarioInfo ScenarioInfo { get; }

    /// <summary>The number of this iteration within the scenario, from 0.</summary>
    long InvocationNumber { get; }

    /// <summary>Cancelled when the run is stopped or the drain timeout expires.</summary>
    CancellationToken ScenarioCancellationToken { get; }

    /// <summary>Per-iteration storage shared by its steps.</summary>
    IDictionary<string, object> Data { get; }

    /// <summary>Time since this iteration was due to start, on the load generator's clock.</summary>
    TimeSpan Elapsed { get; }

    /// <summary>
    /// Records that <paramref name="count"/> tokens of a streamed answer arrived now. The first call fixes the
    /// time to first token (measured from when the iteration was due), later calls the inter-token latencies.
    /// </summary>
    void RecordTokens(int count = 1);
}
