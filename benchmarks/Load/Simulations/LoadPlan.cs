namespace Cocoon.Benchmarks.Load;

/// <summary>
/// Turns a sequence of simulations into phases with their exact schedules. Ramps start from where the previous
/// phase of the same model ended; a phase of the other model or a pause resets them to zero.
/// </summary>
public static class LoadPlan
{
    public static IReadOnlyList<PlannedPhase> Build(IReadOnlyList<LoadSimulation> simulations)
    {
        ArgumentNullException.ThrowIfNull(simulations);
        var phases = new List<PlannedPhase>(simulations.Count);
        double previousRatePerSecond = 0;
        var previousCopies = 0;
        foreach (var simulation in simulations)
        {
            switch (simulation)
            {
                case LoadSimulation.Inject s:
                {
                    var rate = s.Rate / s.Interval.TotalSeconds;
                    phases.Add(new OpenPhase(s, rate, rate, s.During, iterations: null));
                    previousRatePerSecond = rate;
                    previousCopies = 0;
                    break;
                }
                case LoadSimulation.RampingInject s:
                {
                    var rate = s.Rate / s.Interval.TotalSeconds;
                    phases.Add(new OpenPhase(s, previousRatePerSecond, rate, s.During, iterations: null));
                    previousRatePerSecond = rate;
                    previousCopies = 0;
                    break;
                }
                case LoadSimulation.IterationsForInject s:
                {
                    var rate = s.Rate / s.Interval.TotalSeconds;
                    var during = TimeSpan.FromSeconds(s.Iterations / rate);
                    phases.Add(new OpenPhase(s, rate, rate, during, s.Iterations));
                    previousRatePerSecond = rate;
                    previousCopies = 0;
                    break;
                }
                case LoadSimulation.KeepConstant s:
                    phases.Add(new ClosedPhase(s, [new CopyLevel(TimeSpan.Zero, s.Copies)], s.During, iterations: null));
                    previousCopies = s.Copies;
                    previousRatePerSecond = 0;
                    break;
                case LoadSimulation.RampingConstant s:
                    phases.Add(new ClosedPhase(s, RampLevels(previousCopies, s.Copies, s.During), s.During, iterations: null));
                    previousCopies = s.Copies;
                    previousRatePerSecond = 0;
                    break;
                case LoadSimulation.IterationsForConstant s:
                    phases.Add(new ClosedPhase(s, [new CopyLevel(TimeSpan.Zero, s.Copies)], during: null, s.Iterations));
                    previousCopies = s.Copies;
                    previousRatePerSecond = 0;
                    break;
                case LoadSimulation.Pause s:
                    phases.Add(new PausePhase(s, s.During));
                    previousCopies = 0;
                    previousRatePerSecond = 0;
                    break;
                default:
                    throw new ArgumentException($"Unknown load simulation {simulation.GetType().Name}.", nameof(simulations));
            }
        }

        return phases;
    }

    /// <summary>The planned length of all phases; null when an iteration-bound closed phase makes it open-ended.</summary>
    public static TimeSpan? TotalDuration(IReadOnlyList<PlannedPhase> phases)
    {
        var total = TimeSpan.Zero;
        foreach (var phase in phases)
        {
            if (phase.During is not { } during)
            {
                return null;
            }

            total += during;
        }

        return total;
    }

    /// <summary>The copy count follows the straight line from <paramref name="from"/> to <paramref name="to"/>, rounded to the nearest copy.</summary>
    private static List<CopyLevel> RampLevels(int from, int to, TimeSpan during)
    {
        var levels = new List<CopyLevel> { new(TimeSpan.Zero, from) };
        var steps = Math.Abs(to - from);
        var direction = Math.Sign(to - from);
        for (var j = 1; j <= steps; j++)
        {
            var at = TimeSpan.FromTicks((long)Math.Round(during.Ticks * (j - 0.5) / steps));
            levels.Add(new CopyLevel(at, from + direction * j));
        }

        return levels;
    }
}
