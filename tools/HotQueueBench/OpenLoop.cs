using System.Diagnostics;

namespace OrleansSupport.HotQueueBench;

/// <summary>
/// Calls offered at a fixed rate whatever the queue answers, as a surge of customers arrives: the i-th call is
/// due at i / rate seconds. Latency runs from when a call was due, not from when it was sent, so a generator
/// that fell behind does not hide the wait (no coordinated omission).
/// </summary>
public static class OpenLoop
{
    /// <summary>How often the generator wakes to send the calls that fell due.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    /// <returns>The wall time from the first call due to the last answer, and the most calls that were in flight at once.</returns>
    public static async Task<(TimeSpan Wall, long MostInFlight)> RunAsync(Func<Task> call, int ratePerSecond, TimeSpan duration, CallRecorder recorder)
    {
        var total = (long)(ratePerSecond * duration.TotalSeconds);
        var ticksPerCall = (double)Stopwatch.Frequency / ratePerSecond;
        var calls = new List<Task>((int)total);
        long inFlight = 0, mostInFlight = 0;
        var started = Stopwatch.GetTimestamp();

        async Task OneAsync(long due)
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref mostInFlight, now);
            try
            {
                await call();
                recorder.Answered(Stopwatch.GetTimestamp() - due);
            }
            catch (Exception ex)
            {
                recorder.Failed(ex);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        for (long sent = 0; sent < total;)
        {
            var dueNow = Math.Min(total, (long)((Stopwatch.GetTimestamp() - started) / ticksPerCall) + 1);
            for (; sent < dueNow; sent++)
            {
                calls.Add(OneAsync(started + (long)(sent * ticksPerCall)));
            }

            await Task.Delay(Tick);
        }

        await Task.WhenAll(calls);
        return (Stopwatch.GetElapsedTime(started), Interlocked.Read(ref mostInFlight));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
