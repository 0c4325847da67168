namespace Cocoon.Silo.Tests.Storage;

/// <summary>A grain state shaped like the grains' own: a [GenerateSerializer] record with stable ids.</summary>
[GenerateSerializer, Alias("cocoon.tests.counter-state.v1")]
public sealed record CounterState
{
    [Id(0)]
    public long Count { get; init; }

    [Id(1)]
    public string Label { get; init; } = "";

    [Id(2)]
    public UInt128 Nano { get; init; }
}

[Alias("cocoon.tests.counter-grain")]
public interface ICounterGrain : IGrainWithStringKey
{
    [Alias("add")]
    Task<CounterState> Add(long amount);

    [Alias("get")]
    Task<CounterState> Get();

    [Alias("reset")]
    Task Reset();

    [Alias("remind")]
    Task RegisterReminder(string name);

    [Alias("reminders")]
    Task<string[]> ListReminders();
}

/// <summary>The smallest grain that persists through the default storage provider.</summary>
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain, IRemindable
{
    public async Task<CounterState> Add(long amount)
    {
        state.State = state.State with
        {
            Count = state.State.Count + amount,
            Label = this.GetPrimaryKeyString(),
            Nano = state.State.Nano + (UInt128)amount,
        };
        await state.WriteStateAsync();
        return state.State;
    }

    public Task<CounterState> Get() => Task.FromResult(state.State);

    public Task Reset() => state.ClearStateAsync();

    public Task RegisterReminder(string name) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<string[]> ListReminders() =>
        [.. (await this.GetReminders()).Select(r => r.ReminderName).Order()];

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
