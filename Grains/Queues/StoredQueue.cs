namespace OrleansSupport.Queues;

/// <summary>
/// A queue as read from <see cref="IQueueStore"/>: its header, its waiting customers in serving order,
/// and the version a write must name (0: nothing stored yet).
/// </summary>
public sealed record StoredQueue(long Version, QueueHeader Header, IReadOnlyList<WaitingEntry> Waiting)
{
    public static StoredQueue Empty { get; } = new(0, new QueueHeader(), []);
}
