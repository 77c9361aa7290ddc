namespace OrleansSupport.Queues;

/// <summary>What a language queue persists: the waiting customers in serving order.</summary>
[GenerateSerializer, Alias("OrleansSupport.QueueState")]
public sealed class QueueState
{
    [Id(0)]
    public List<QueuedCustomer> Waiting { get; set; } = [];

    /// <summary>Counts every change; frontends use it to notice a change they missed.</summary>
    [Id(1)]
    public long Sequence { get; set; }

    /// <summary>When the latest customers were taken by operators: the line's service pace.</summary>
    [Id(2)]
    public List<DateTimeOffset> RecentServices { get; set; } = [];

    /// <summary>The last hour, minute by minute, for the supervisors' charts.</summary>
    [Id(3)]
    public List<QueueMinute> History { get; set; } = [];
}
