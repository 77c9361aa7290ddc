namespace OrleansSupport.Queues;

/// <summary>
/// Where queues keep their waiting customers: a row per customer and a small header per queue, so that
/// storing a change costs the same whatever the line's length (Silo/Storage/SqlQueueStore.cs).
/// </summary>
public interface IQueueStore
{
    /// <summary>The stored header and customers, ordered by waiting time, then arrival.</summary>
    Task<StoredQueue> ReadAsync(string queue);

    /// <summary>
    /// Stores <paramref name="changes"/> in one transaction, durable when the task completes, and returns
    /// the new version. A write against any version but the stored one (0: none stored), or removing an
    /// entry that is not stored, fails with <see cref="Orleans.Storage.InconsistentStateException"/> and
    /// changes nothing.
    /// </summary>
    /// <remarks>Reads what it needs from <paramref name="changes"/> before its first await.</remarks>
    Task<long> WriteAsync(string queue, long expectedVersion, QueueChanges changes);
}
