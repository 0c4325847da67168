namespace Cocoon.Benchmarks.Load;

/// <summary>Validated constructors of <see cref="LoadSimulation"/>s, named as NBomber's <c>Simulation</c>.</summary>
public static class Simulation
{
    public static LoadSimulation Inject(int rate, TimeSpan interval, TimeSpan during)
    {
        CheckRate(rate, interval);
        CheckDuring(during);
        return new LoadSimulation.Inject(rate, interval, during);
    }

    public static LoadSimulation RampingInject(int rate, TimeSpan interval, TimeSpan during)
    {
        CheckRate(rate, interval);
        CheckDuring(during);
        return new LoadSimulation.RampingInject(rate, interval, during);
    }

    public static LoadSimulation KeepConstant(int copies, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(copies);
        CheckDuring(during);
        return new LoadSimulation.KeepConstant(copies, during);
    }

    public static LoadSimulation RampingConstant(int copies, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(copies);
        CheckDuring(during);
        return new LoadSimulation.RampingConstant(copies, during);
    }

    public static LoadSimulation Pause(TimeSpan during)
    {
        CheckDuring(during);
        return new LoadSimulation.Pause(during);
    }

    public static LoadSimulation IterationsForConstant(int copies, long iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        return new LoadSimulation.IterationsForConstant(copies, iterations);
    }

    public static LoadSimulation IterationsForInject(int rate, TimeSpan interval, long iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        CheckRate(rate, interval);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        return new LoadSimulation.IterationsForInject(rate, interval, iterations);
    }

    private static void CheckRate(int rate, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
    }

    private static void CheckDuring(TimeSpan during) =>
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(during, TimeSpan.Zero);
}
