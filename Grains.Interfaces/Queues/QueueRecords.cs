namespace OrleansSupport.Queues;

[GenerateSerializer, Immutable, Alias("OrleansSupport.QueuedCustomer")]
public sealed record QueuedCustomer(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] DateTimeOffset WaitingSince);

/// <summary>
/// A customer's 1-based number in a line, how many wait in it in total, and the estimated wait in seconds
/// from the line's recent service rate (null until someone has been served recently). A pushed number also
/// says as of which change of the line it holds (<see cref="AsOf"/>), so clients can show how fresh it is
/// and the load generator can measure change-to-screen latency. A pushed number also carries when the
/// frontend pushed it (<see cref="PushedAt"/>), so a client can check the pacing of pushes apart from how
/// its own network and CPU delayed them. A place the queue answered carries the queue's sequence number
/// when it answered (<see cref="Sequence"/>), so a client need not show a number older than one it has.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.QueuePlace")]
public sealed record QueuePlace(
    [property: Id(0)] string Language,
    [property: Id(1)] int Position,
    [property: Id(2)] int Waiting,
    [property: Id(3)] int? EstimatedWaitSeconds,
    [property: Id(4)] DateTimeOffset? AsOf = null,
    [property: Id(5)] DateTimeOffset? PushedAt = null,
    [property: Id(6)] long? Sequence = null);

[GenerateSerializer, Immutable, Alias("OrleansSupport.QueueSnapshot")]
public sealed record QueueSnapshot(
    [property: Id(0)] string Language,
    [property: Id(1)] long Sequence,
    [property: Id(2)] Guid[] Order,
    [property: Id(3)] double? SecondsPerCustomer);

[GenerateSerializer, Alias("OrleansSupport.QueueChangeKind")]
public enum QueueChangeKind
{
    Inserted = 0,
    Removed = 1,
}

/// <summary>
/// One change to a line, numbered by the queue's sequence. Frontends apply these to their replica of the
/// order and compute the numbers of their own customers, so a dequeue costs one message per frontend,
/// not one per waiting customer.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.QueueDelta")]
/// <remarks>
/// <see cref="SecondsPerCustomer"/> is the line's current service pace, for estimated waits;
/// <see cref="ChangedAt"/> is when the change was stored (real time, not the support clock).
/// </remarks>
public sealed record QueueDelta(
    [property: Id(0)] string Language,
    [property: Id(1)] long Sequence,
    [property: Id(2)] QueueChangeKind Kind,
    [property: Id(3)] Guid SessionId,
    [property: Id(4)] int Index,
    [property: Id(5)] double? SecondsPerCustomer,
    [property: Id(6)] DateTimeOffset ChangedAt);
