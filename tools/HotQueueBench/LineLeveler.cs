using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace OrleansSupport.HotQueueBench;

/// <summary>
/// Brings the queue to a length before a phase, fast and unmeasured: many Enqueue calls of fresh customers in
/// flight at once (their writes share commits), or many DequeueNext calls to trim it.
/// </summary>
public sealed partial class LineLeveler(IQueueGrain queue, int inFlight, ILogger logger)
{
    /// <summary>How many wait now, as the queue itself counts them.</summary>
    public async Task<int> CountAsync() => (await queue.GetStats()).Waiting;

    public async Task<int> LevelAsync(int target)
    {
        var now = await CountAsync();
        if (now == target)
        {
            return now;
        }

        var started = Stopwatch.GetTimestamp();
        var filling = now < target;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Math.Abs(target - now)),
            new ParallelOptions { MaxDegreeOfParallelism = inFlight },
            async (_, _) =>
            {
                if (filling)
                {
                    await QueueCalls.JoinAsync(queue);
                }
                else
                {
                    await QueueCalls.DequeueAsync(queue);
                }
            });
        var elapsed = Stopwatch.GetElapsedTime(started);
        var reached = await CountAsync();
        LogLeveled(now, reached, elapsed.TotalSeconds, Math.Abs(reached - now) / elapsed.TotalSeconds);
        return reached;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Line taken from {From} to {To} waiting in {Seconds:F1} s ({CallsPerSecond:F0} calls/s, not measured)")]
    private partial void LogLeveled(int from, int to, double seconds, double callsPerSecond);
}
