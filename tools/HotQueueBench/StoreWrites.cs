using System.Diagnostics;
using HdrHistogram;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansSupport.HotQueueBench;

/// <summary>
/// What the queue's writes to storage cost while a phase runs: how many, how many changes each carried, and
/// how long each took from the grain's call to the commit. A queue has at most one write in flight
/// (<see cref="OrleansSupport.Storage.GroupCommit"/>), so their summed time against the phase's wall time
/// says whether storage is what paces the queue.
/// </summary>
public sealed class StoreWrites
{
    private readonly Recorder _durations = new(1, 60_000_000, 3, (id, low, high, digits) => new LongHistogram(id, low, high, digits));
    private long _writes;
    private long _changes;
    private long _busyTicks;

    public void Record(int changes, long elapsedTicks)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _changes, changes);
        Interlocked.Add(ref _busyTicks, elapsedTicks);
        _durations.RecordValue(Math.Max(1, elapsedTicks * 1_000_000 / Stopwatch.Frequency));
    }

    /// <summary>Starts a phase: what is recorded from now on goes into the next <see cref="Interval"/>.</summary>
    public Mark Begin()
    {
        _durations.GetIntervalHistogram(); // drops what came before
        return new Mark(Interlocked.Read(ref _writes), Interlocked.Read(ref _changes), Interlocked.Read(ref _busyTicks));
    }

    /// <summary>The writes since <paramref name="since"/>.</summary>
    public StoreWriteSummary Interval(Mark since, TimeSpan wall)
    {
        var histogram = _durations.GetIntervalHistogram();
        var writes = Interlocked.Read(ref _writes) - since.Writes;
        var changes = Interlocked.Read(ref _changes) - since.Changes;
        var busy = TimeSpan.FromSeconds((double)(Interlocked.Read(ref _busyTicks) - since.BusyTicks) / Stopwatch.Frequency);
        return new StoreWriteSummary(
            writes,
            writes == 0 ? 0 : (double)changes / writes,
            writes == 0 ? 0 : busy.TotalMilliseconds / writes,
            writes == 0 ? 0 : histogram.GetValueAtPercentile(99) / 1000.0,
            writes == 0 ? 0 : histogram.GetMaxValue() / 1000.0,
            wall > TimeSpan.Zero ? busy / wall : 0);
    }

    /// <summary>Puts a timing wrapper around the silo's own queue store (the registration AddOrleansSupport made).</summary>
    public void WrapQueueStore(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IQueueStore) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("The silo registered no IQueueStore.");
        var create = registered.ImplementationFactory
            ?? throw new InvalidOperationException("The silo's IQueueStore is expected to come from a factory.");
        services.Remove(registered);
        services.AddSingleton<IQueueStore>(sp => new TimedQueueStore((IQueueStore)create(sp), this));
    }

    public readonly record struct Mark(long Writes, long Changes, long BusyTicks);
}

/// <param name="BusyShare">Time with a write in flight over the phase's wall time (1: storage never rested).</param>
public sealed record StoreWriteSummary(long Writes, double ChangesPerWrite, double MeanWriteMs, double P99WriteMs, double MaxWriteMs, double BusyShare);
