using OrleansSupport.Telemetry;

namespace OrleansSupport.QueueStoreBench;

/// <summary>Today's design: the queue grain's <see cref="WaitingLine"/> and its <see cref="IQueueStore"/>.</summary>
public sealed class RowPerCustomerDesign : IQueueDesign, IDisposable
{
    private readonly IQueueStore _store;
    private readonly QueueHeader _header;
    private readonly WaitingLine _line = new([]);
    private readonly IDisposable _sizes;
    private long _version;
    private long _lastSize;

    public RowPerCustomerDesign(IQueueStore store, QueueHeader header)
    {
        (_store, _header) = (store, header);
        _sizes = SupportMetrics.ListenToQueueWrites((_, bytes) => _lastSize = bytes);
    }

    public string Name => "row per customer";

    public int Count => _line.Count;

    public void Join(Guid sessionId, DateTimeOffset waitingSince) => _line.Insert(sessionId, waitingSince);

    public void RemoveAt(int index) => _line.RemoveAt(index);

    public async Task<long> WriteAsync()
    {
        var (added, removed) = _line.TakeChanges();
        _version = await _store.WriteAsync(Bench.Queue, _version, new QueueChanges(_header, added, removed));
        return _lastSize;
    }

    public void Dispose() => _sizes.Dispose();
}
