using System.Diagnostics;

namespace OrleansSupport.HotQueueBench;

/// <summary>The silo's queue store, unchanged, with the time of each write recorded in <see cref="StoreWrites"/>.</summary>
public sealed class TimedQueueStore(IQueueStore inner, StoreWrites writes) : IQueueStore
{
    public Task<StoredQueue> ReadAsync(string queue) => inner.ReadAsync(queue);

    public async Task<long> WriteAsync(string queue, long expectedVersion, QueueChanges changes)
    {
        var started = Stopwatch.GetTimestamp();
        var count = changes.Added.Count + changes.Removed.Count; // read before the first await, as the store does
        var version = await inner.WriteAsync(queue, expectedVersion, changes);
        writes.Record(count, Stopwatch.GetTimestamp() - started);
        return version;
    }
}
