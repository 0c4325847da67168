namespace Cocoon.Benchmarks.Load;

/// <summary>Runs a named, separately measured part of an iteration (NBomber's <c>Step.Run</c>).</summary>
public static class Step
{
    /// <summary>
    /// Runs <paramref name="run"/> and records its latency (from the step's own start) and outcome under
    /// <paramref name="name"/>. An exception becomes a failed response with status "exception"; a failed step
    /// fails its iteration even when the scenario returns OK.
    /// </summary>
    public static async Task<Response<T>> Run<T>(string name, IScenarioContext context, Func<Task<Response<T>>> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        if (context is not ScenarioContext ctx)
        {
            throw new ArgumentException("Step.Run needs the context the runner passed to the scenario.", nameof(context));
        }

        var started = ctx.Clock.Elapsed;
        Response<T> response;
        try
        {
            response = await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.ScenarioCancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            response = Response.Fail<T>("exception", $"{e.GetType().Name}: {e.Message}");
        }

        var completed = ctx.Clock.Elapsed;
        ctx.Collector.RecordStep(name, response, completed - started, completed, response.Tokens);
        if (response.IsError)
        {
            ctx.MarkStepFailed(name, response);
        }

        return response;
    }
}
