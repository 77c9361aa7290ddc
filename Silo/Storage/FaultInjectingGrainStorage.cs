using Orleans.Storage;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// A chaos aid for tests and drills (Storage:FaultInjection:WriteFailureRate): fails that share of grain
/// writes before they reach the database, as a flaky network or an overloaded server would. Off (0) by
/// default; never configure it in production.
/// </summary>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner, double writeFailureRate) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Random.Shared.NextDouble() < writeFailureRate
            ? Task.FromException(new InjectedStorageFaultException())
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

public sealed class InjectedStorageFaultException() : Exception("Injected storage write failure (Storage:FaultInjection).");
