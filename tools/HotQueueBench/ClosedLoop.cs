using System.Diagnostics;

namespace OrleansSupport.HotQueueBench;

/// <summary>
/// A fixed number of callers, each sending its next call as soon as the last one answered: the rate the queue
/// sustains with that many calls in flight, and each call's latency.
/// </summary>
public static class ClosedLoop
{
    /// <param name="mayCall">Asked before each call; false ends that caller (e.g. the line is back at its length).</param>
    /// <returns>The wall time from the first call to the last answer.</returns>
    public static async Task<TimeSpan> RunAsync(Func<Task> call, int callers, TimeSpan duration, Func<bool> mayCall, CallRecorder recorder)
    {
        var started = Stopwatch.GetTimestamp();
        var ends = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < ends && mayCall())
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    await call();
                    recorder.Answered(Stopwatch.GetTimestamp() - sent);
                }
                catch (Exception ex)
                {
                    recorder.Failed(ex);
                }
            }
        })));
        return Stopwatch.GetElapsedTime(started);
    }
}
