namespace OrleansSupport.Queues;

/// <summary>
/// One waiting customer as the line orders and stores them. <see cref="Arrival"/> grows with every
/// insert and breaks ties between equal waiting times, so an order rebuilt from storage is the order
/// the line had.
/// </summary>
public readonly record struct WaitingEntry(Guid SessionId, DateTimeOffset WaitingSince, long Arrival)
{
    public QueuedCustomer Customer => new(SessionId, WaitingSince);
}
