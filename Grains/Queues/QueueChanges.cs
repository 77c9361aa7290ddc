namespace OrleansSupport.Queues;

/// <summary>
/// One write of a queue: its new header, the customers' entries added since the last write
/// (<see cref="Added"/>) and those gone (<see cref="Removed"/>, as they were stored). A customer who joined
/// and left between two writes is in neither.
/// </summary>
public sealed record QueueChanges(QueueHeader Header, IReadOnlyList<WaitingEntry> Added, IReadOnlyList<WaitingEntry> Removed);
