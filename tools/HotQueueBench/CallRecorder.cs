using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace OrleansSupport.HotQueueBench;

/// <summary>The calls of one phase: each one's latency (HdrHistogram, microseconds) and the failures by kind.</summary>
public sealed class CallRecorder
{
    private const long HighestMicroseconds = 10 * 60 * 1_000_000L;

    private readonly LongConcurrentHistogram _latency = new(1, HighestMicroseconds, 3);
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private long _succeeded;

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public IReadOnlyDictionary<string, int> Failures => _failures;

    /// <summary>A call that answered, <paramref name="elapsedTicks"/> (Stopwatch ticks) after it was due.</summary>
    public void Answered(long elapsedTicks)
    {
        Interlocked.Increment(ref _succeeded);
        _latency.RecordValue(Math.Clamp(elapsedTicks * 1_000_000 / Stopwatch.Frequency, 1, HighestMicroseconds));
    }

    /// <summary>A call that failed; counted by the exception's type and, for the product's refusals, its code.</summary>
    public void Failed(Exception exception) =>
        _failures.AddOrUpdate(exception is SupportException refusal ? $"{nameof(SupportException)}:{refusal.Code}" : exception.GetType().Name, 1, (_, n) => n + 1);

    public double PercentileMs(double percentile) => _succeeded == 0 ? 0 : _latency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMs => _succeeded == 0 ? 0 : _latency.GetMaxValue() / 1000.0;
}
