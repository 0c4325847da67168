namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Drives one scenario through its phases. The open model starts each iteration at its intended time from the
/// plan and measures latency from that time, so when the target (or the generator) falls behind, the queueing
/// shows in the latencies instead of silently lowering the load (coordinated omission). The closed model runs
/// copies in loops; there an iteration is due when its copy gets to it.
/// </summary>
internal sealed class ScenarioExecution
{
    private readonly ScenarioProps _props;
    private readonly ScenarioInfo _info;
    private readonly LoadClock _clock;
    private readonly CancellationToken _runToken;
    private readonly CancellationTokenSource _iterations;
    private readonly InFlightTracker _inFlight = new();
    private readonly SemaphoreSlim _slots;
    private long _invocations;
    private volatile string _phase = "pending";
    private volatile bool _warmingUp;
    private volatile ScenarioCollector? _collector;
    private TimeSpan _startedAt;

    public ScenarioExecution(ScenarioProps props, string testName, LoadClock clock, CancellationToken runToken)
    {
        _props = props;
        _info = new ScenarioInfo(props.ScenarioName, testName);
        _clock = clock;
        _runToken = runToken;
        _iterations = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        _slots = new SemaphoreSlim(props.MaxConcurrency, props.MaxConcurrency);
    }

    public ScenarioProps Props => _props;

    public ScenarioInfo Info => _info;

    public ScenarioProgress Progress()
    {
        var collector = _collector;
        var stats = collector?.Scenario.Progress() ?? default;
        var elapsed = collector is null ? TimeSpan.Zero : _clock.Elapsed - _startedAt;
        var phase = _warmingUp ? $"warm-up: {_phase}" : _phase;
        return new ScenarioProgress(_info.ScenarioName, phase, elapsed, _inFlight.Count, stats);
    }

    /// <summary>Warms up (results discarded), then runs and measures every phase, then waits for stragglers.</summary>
    public async Task<ScenarioStats> RunAsync(TextWriter log)
    {
        var phases = LoadPlan.Build(_props.LoadSimulations);
        try
        {
            if (_props.WarmUpDuration > TimeSpan.Zero)
            {
                _warmingUp = true;
                var warmUp = new ScenarioCollector(_info.ScenarioName, _clock.Elapsed, _props.Slo);
                _collector = warmUp;
                _startedAt = _clock.Elapsed;
                await RunPhasesAsync(phases, warmUp, _props.WarmUpDuration).ConfigureAwait(false);
                await DrainAsync(log).ConfigureAwait(false);
                _warmingUp = false;
            }

            var measured = new ScenarioCollector(_info.ScenarioName, _clock.Elapsed, _props.Slo);
            _startedAt = measured.Origin;
            _collector = measured;
            await RunPhasesAsync(phases, measured, limit: null).ConfigureAwait(false);
            _phase = "draining";
            await DrainAsync(log).ConfigureAwait(false);
            _phase = "done";
            return measured.ToStats(_clock.Elapsed - measured.Origin, _props.LoadSimulations);
        }
        catch (OperationCanceledException) when (_runToken.IsCancellationRequested)
        {
            _phase = "stopped";
            await _iterations.CancelAsync().ConfigureAwait(false);
            await WaitIdleAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var collector = _collector!;
            return collector.ToStats(_clock.Elapsed - collector.Origin, _props.LoadSimulations);
        }
    }

    private async Task RunPhasesAsync(IReadOnlyList<PlannedPhase> phases, ScenarioCollector collector, TimeSpan? limit)
    {
        var origin = _clock.Elapsed;
        var limitEnd = limit is { } l ? origin + l : TimeSpan.MaxValue;
        var phaseStart = origin;
        foreach (var phase in phases)
        {
            if (phaseStart >= limitEnd)
            {
                break;
            }

            _phase = phase.ToString();
            phaseStart = phase switch
            {
                PausePhase pause => await RunPauseAsync(phaseStart, pause, limitEnd).ConfigureAwait(false),
                OpenPhase open => await RunOpenAsync(phaseStart, open, collector, limitEnd).ConfigureAwait(false),
                ClosedPhase closed => await RunClosedAsync(phaseStart, closed, collector, limitEnd).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Unknown phase {phase.GetType().Name}."),
            };
        }
    }

    private async Task<TimeSpan> RunPauseAsync(TimeSpan start, PausePhase pause, TimeSpan limitEnd)
    {
        var end = Min(start + pause.During!.Value, limitEnd);
        await _clock.WaitUntilAsync(end, _runToken).ConfigureAwait(false);
        return end;
    }

    private async Task<TimeSpan> RunOpenAsync(TimeSpan start, OpenPhase open, ScenarioCollector collector, TimeSpan limitEnd)
    {
        for (long i = 0; i < open.Count; i++)
        {
            var due = start + open.OffsetOf(i);
            if (due >= limitEnd)
            {
                break;
            }

            await _clock.WaitUntilAsync(due, _runToken).ConfigureAwait(false);

            // Waiting for a free slot delays the start past its due time; the latency keeps counting from due.
            await _slots.WaitAsync(_runToken).ConfigureAwait(false);
            _inFlight.Enter();
            _ = RunIterationAsync(due, collector, releaseSlot: true);
        }

        var end = Min(start + open.During!.Value, limitEnd);
        await _clock.WaitUntilAsync(end, _runToken).ConfigureAwait(false);
        return end;
    }

    private async Task<TimeSpan> RunClosedAsync(TimeSpan start, ClosedPhase closed, ScenarioCollector collector, TimeSpan limitEnd)
    {
        TimeSpan? end = closed.During is { } during ? Min(start + during, limitEnd) : limitEnd == TimeSpan.MaxValue ? null : limitEnd;
        var budget = new IterationBudget(closed.Iterations);
        var copies = new List<Copy>();
        foreach (var level in closed.Levels)
        {
            var at = start + level.At;
            if (end is { } e && at >= e)
            {
                break;
            }

            await _clock.WaitUntilAsync(at, _runToken).ConfigureAwait(false);
            var running = copies.Where(c => !c.Stopped).ToList();
            for (var n = running.Count; n < level.Copies; n++)
            {
                var copy = new Copy();
                copies.Add(copy);

                // Each copy loops on the thread pool, so a scenario that never awaits cannot starve the others.
                copy.Loop = Task.Run(() => RunCopyAsync(copy, end, budget, collector));
            }

            for (var n = running.Count - 1; n >= level.Copies; n--)
            {
                running[n].Stopped = true;
            }
        }

        if (end is { } phaseEnd)
        {
            await _clock.WaitUntilAsync(phaseEnd, _runToken).ConfigureAwait(false);
            foreach (var copy in copies)
            {
                copy.Stopped = true;
            }

            return phaseEnd;
        }

        await Task.WhenAll(copies.Select(c => c.Loop!)).WaitAsync(_runToken).ConfigureAwait(false);
        return _clock.Elapsed;
    }

    private async Task RunCopyAsync(Copy copy, TimeSpan? end, IterationBudget budget, ScenarioCollector collector)
    {
        while (!copy.Stopped && !_runToken.IsCancellationRequested)
        {
            var due = _clock.Elapsed;
            if ((end is { } e && due >= e) || !budget.TryTake())
            {
                break;
            }

            _inFlight.Enter();
            await RunIterationAsync(due, collector, releaseSlot: false).ConfigureAwait(false);
        }
    }

    private async Task RunIterationAsync(TimeSpan due, ScenarioCollector collector, bool releaseSlot)
    {
        try
        {
            var number = Interlocked.Increment(ref _invocations) - 1;
            var context = new ScenarioContext(_info, number, due, _clock, collector, _iterations.Token);
            var startedAt = _clock.Elapsed;
            IResponse response;
            try
            {
                response = await _props.Run(context).ConfigureAwait(false)
                    ?? Response.Fail("null", "the scenario returned no response");
            }
            catch (OperationCanceledException) when (_iterations.IsCancellationRequested)
            {
                if (_runToken.IsCancellationRequested)
                {
                    // Stopped by the user: an interrupted iteration says nothing about the target.
                    return;
                }

                response = Response.Fail("timeout", "still running when the drain timeout expired");
            }
            catch (Exception e)
            {
                response = Response.Fail("exception", $"{e.GetType().Name}: {e.Message}");
            }

            var completed = _clock.Elapsed;
            if (!response.IsError && context.FailedStep is { } failed)
            {
                response = Response.Fail(
                    string.IsNullOrEmpty(failed.Response.StatusCode) ? "step-failed" : failed.Response.StatusCode,
                    $"step '{failed.Step}' failed: {failed.Response.Message}",
                    response.SizeBytes);
            }

            // Timings the scenario measured itself start when it ran; shift them to when it was due.
            var tokens = context.RecordedTokens() ?? Shift(response.Tokens, startedAt - due);
            collector.RecordIteration(response, completed - due, completed, tokens);
        }
        finally
        {
            if (releaseSlot)
            {
                _slots.Release();
            }

            _inFlight.Exit();
        }
    }

    private async Task DrainAsync(TextWriter log)
    {
        if (await WaitIdleAsync(_props.DrainTimeout).ConfigureAwait(false))
        {
            return;
        }

        await log.WriteLineAsync(
            $"{_info.ScenarioName}: {_inFlight.Count} iterations still running after the drain timeout of {DurationText.Format(_props.DrainTimeout)}; cancelling them.")
            .ConfigureAwait(false);
        await _iterations.CancelAsync().ConfigureAwait(false);
        await WaitIdleAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    private async Task<bool> WaitIdleAsync(TimeSpan timeout)
    {
        try
        {
            await _inFlight.WhenIdleAsync().WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static TokenUsage? Shift(TokenUsage? tokens, TimeSpan by) =>
        tokens is null || by <= TimeSpan.Zero
            ? tokens
            : new TokenUsage(tokens.TimeToFirstToken + by, tokens.TokenCount, tokens.InterTokenLatencies);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed class Copy
    {
        public volatile bool Stopped;

        public Task? Loop { get; set; }
    }

    /// <summary>The iterations an iteration-bound phase may still start, shared by its copies.</summary>
    private sealed class IterationBudget(long? iterations)
    {
        private long _left = iterations ?? long.MaxValue;

        public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;
    }
}

/// <summary>A running scenario as the live console shows it.</summary>
internal readonly record struct ScenarioProgress(string ScenarioName, string Phase, TimeSpan Elapsed, int InFlight, ProgressStats Stats);
