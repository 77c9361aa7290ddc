namespace OrleansSupport.Queues;

/// <summary>
/// A queue as supervisors see it. The per-minute arrays cover the last hour, oldest first, ending with
/// the current minute. <see cref="Away"/> of those waiting have no connection on any frontend: they keep
/// their place, are passed over, and leave once gone past the grace.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansSupport.QueueStats")]
public sealed record QueueStats(
    [property: Id(0)] string Language,
    [property: Id(1)] int Waiting,
    [property: Id(2)] int LongestWaitSeconds,
    [property: Id(3)] int AverageWaitSeconds,
    [property: Id(4)] int? EstimatedWaitSeconds,
    [property: Id(5)] int[] WaitingPerMinute,
    [property: Id(6)] int[] ServedPerMinute,
    [property: Id(7)] int[] AbandonedPerMinute,
    [property: Id(8)] int Away = 0);

/// <summary>One minute of a queue's history.</summary>
[GenerateSerializer, Alias("OrleansSupport.QueueMinute")]
public sealed class QueueMinute
{
    [Id(0)] public DateTimeOffset Start { get; set; }
    [Id(1)] public int Waiting { get; set; }
    [Id(2)] public int Served { get; set; }
    [Id(3)] public int Abandoned { get; set; }
}
