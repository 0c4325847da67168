using Cocoon.Errors;
using Cocoon.Grains.Placement;
using Cocoon.Registry;
using Microsoft.Extensions.Options;

namespace Cocoon.Grains.Registry;

/// <summary>Holds the versioned network parameters; the first activation takes them from configuration.</summary>
[CoreSilosOnly]
public sealed class RegistryGrain(
    [PersistentState("registry", CocoonStorage.Name)] IPersistentState<NetworkParameters> state,
    IOptions<NetworkParameters> defaults) : Grain, IRegistryGrain
{
    public Task<NetworkParameters> Get() => Task.FromResult(Current);

    private NetworkParameters Current => state.RecordExists ? state.State : defaults.Value;

    public async Task<NetworkParameters> Update(NetworkParameters proposed)
    {
        Validate(proposed);
        if (proposed.Version != Current.Version + 1)
            throw new RegistryRejectedException(
                $"Version {proposed.Version} does not follow the current version {Current.Version}: read the parameters again and propose {Current.Version + 1}.");
        state.State = proposed;
        await state.WriteStateAsync();
        return proposed;
    }

    public static void Validate(NetworkParameters p)
    {
        if (p.PricePerToken < 0 || p.WorkerFeePerToken < 0)
            throw new RegistryRejectedException("Prices must not be negative.");
        if (p.WorkerFeePerToken > p.PricePerToken)
            throw new RegistryRejectedException(
                $"worker_fee_per_token ({p.WorkerFeePerToken}) is above price_per_token ({p.PricePerToken}): the commission would be negative.");
        if (p.PromptMultiplier < 0 || p.CachedPromptMultiplier < 0 || p.CompletionMultiplier < 0)
            throw new RegistryRejectedException("Multipliers must not be negative.");
        if (p.ReceiptEveryTokens <= 0 || p.CommissionShards <= 0 || p.MaxTokensLimit <= 0 || p.MaxPromptTokensLimit <= 0)
            throw new RegistryRejectedException("Receipt interval, commission shards and token limits must be positive.");
        if (p.AllowedModels.Count == 0)
            throw new RegistryRejectedException("At least one model must be allowed.");
    }
}
