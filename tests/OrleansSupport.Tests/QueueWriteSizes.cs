using System.Collections.Concurrent;
using OrleansSupport.Telemetry;

namespace OrleansSupport.Tests;

/// <summary>The bytes of each queue write, per queue, as the store reports them (support.queue.write.size).</summary>
public sealed class QueueWriteSizes : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _sizes = new();
    private readonly IDisposable _listener;

    public QueueWriteSizes() =>
        _listener = SupportMetrics.ListenToQueueWrites((queue, bytes) => _sizes.GetOrAdd(queue, _ => new()).Enqueue(bytes));

    /// <summary>The sizes of the writes of <paramref name="queue"/> since this listener started, in order.</summary>
    public long[] Of(string queue) => _sizes.TryGetValue(queue, out var sizes) ? [.. sizes] : [];

    public void Dispose() => _listener.Dispose();
}
