namespace OrleansSupport.QueueStoreBench;

/// <summary>
/// The queue state of the old design, for comparison: the whole line and the header in one row,
/// rewritten with every change.
/// </summary>
[GenerateSerializer, Alias("OrleansSupport.QueueStoreBench.WholeLineState")]
public sealed class WholeLineState
{
    [Id(0)]
    public List<QueuedCustomer> Waiting { get; set; } = [];

    [Id(1)]
    public QueueHeader Header { get; set; } = new();
}
