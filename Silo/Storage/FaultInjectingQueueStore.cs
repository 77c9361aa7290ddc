using OrleansSupport.Queues;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// <see cref="FaultInjectingGrainStorage"/> for the queues' own store (Storage:FaultInjection:WriteFailureRate):
/// fails that share of queue writes before they reach the database. Never configure it in production.
/// </summary>
public sealed class FaultInjectingQueueStore(IQueueStore inner, double writeFailureRate) : IQueueStore
{
    public Task<StoredQueue> ReadAsync(string queue) => inner.ReadAsync(queue);

    public Task<long> WriteAsync(string queue, long expectedVersion, QueueChanges changes) =>
        Random.Shared.NextDouble() < writeFailureRate
            ? Task.FromException<long>(new InjectedStorageFaultException())
            : inner.WriteAsync(queue, expectedVersion, changes);
}
