namespace OrleansSupport.Queues;

/// <summary>
/// What a language queue stores besides its waiting customers (one row each, see <see cref="IQueueStore"/>):
/// small and of the same size whatever the line's length, so it is rewritten with every change.
/// </summary>
[GenerateSerializer, Alias("OrleansSupport.QueueHeader")]
public sealed class QueueHeader
{
    /// <summary>Counts every change; frontends use it to notice a change they missed.</summary>
    [Id(0)]
    public long Sequence { get; init; }

    /// <summary>When the latest customers were taken by operators: the line's service pace.</summary>
    [Id(1)]
    public List<DateTimeOffset> RecentServices { get; init; } = [];

    /// <summary>The last hour, minute by minute, for the supervisors' charts.</summary>
    [Id(2)]
    public List<QueueMinute> History { get; init; } = [];
}
