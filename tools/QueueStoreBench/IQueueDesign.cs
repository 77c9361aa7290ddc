namespace OrleansSupport.QueueStoreBench;

/// <summary>One way of storing a queue: changes are made in memory, then <see cref="WriteAsync"/> stores them.</summary>
public interface IQueueDesign
{
    string Name { get; }

    int Count { get; }

    void Join(Guid sessionId, DateTimeOffset waitingSince);

    void RemoveAt(int index);

    /// <summary>Stores what changed since the last write, as the queue grain would; returns the bytes sent.</summary>
    Task<long> WriteAsync();
}
