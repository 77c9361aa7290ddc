using Microsoft.Extensions.Logging;

namespace OrleansSupport.HotQueueBench;

/// <summary>The three measurements of the issue on one queue: closed-loop joins, closed-loop dequeues, and the open-loop surge.</summary>
public sealed partial class Phases(string provider, IQueueGrain queue, LineLeveler line, StoreWrites writes, BenchOptions options, ILogger logger)
{
    public const string Join = "join (Enqueue)";
    public const string Dequeue = "dequeue (DequeueNext)";

    /// <summary>(a) <see cref="BenchOptions.Callers"/> callers join fresh customers for <see cref="BenchOptions.ClosedDuration"/>.</summary>
    public Task<PhaseResult> ClosedJoinsAsync() =>
        MeasureAsync(Join, $"closed, {options.Callers} callers", null, async recorder =>
            (await ClosedLoop.RunAsync(() => QueueCalls.JoinAsync(queue), options.Callers, options.ClosedDuration, () => true, recorder), null));

    /// <summary>
    /// (c) The same callers dequeue until the line is back at <paramref name="downTo"/> (so the dequeues see the
    /// lengths the joins saw) or the time is up.
    /// </summary>
    public async Task<PhaseResult> ClosedDequeuesAsync(int downTo)
    {
        long left = await line.CountAsync() - downTo;
        return await MeasureAsync(Dequeue, $"closed, {options.Callers} callers", null, async recorder =>
            (await ClosedLoop.RunAsync(() => QueueCalls.DequeueAsync(queue), options.Callers, options.ClosedDuration, () => Interlocked.Decrement(ref left) >= 0, recorder), null));
    }

    /// <summary>(b) <see cref="BenchOptions.OfferedRate"/> joins a second offered for <see cref="BenchOptions.OpenDuration"/>.</summary>
    public Task<PhaseResult> OpenJoinsAsync() =>
        MeasureAsync(Join, $"open, {options.OfferedRate:N0}/s offered", options.OfferedRate, async recorder =>
        {
            var (wall, mostInFlight) = await OpenLoop.RunAsync(() => QueueCalls.JoinAsync(queue), options.OfferedRate, options.OpenDuration, recorder);
            return (wall, mostInFlight);
        });

    private async Task<PhaseResult> MeasureAsync(
        string operation, string load, int? offered, Func<CallRecorder, Task<(TimeSpan Wall, long? MostInFlight)>> run)
    {
        var before = await line.CountAsync();
        LogStarting(provider, operation, load, before);
        var recorder = new CallRecorder();
        var usage = MachineUsage.Start();
        var mark = writes.Begin();
        var (wall, mostInFlight) = await run(recorder);
        var store = writes.Interval(mark, wall);
        var used = usage.Stop();
        var after = await line.CountAsync();
        var result = new PhaseResult(
            provider, operation, load, before, after, recorder.Succeeded, recorder.Failures.ToDictionary(),
            wall.TotalSeconds, recorder.Succeeded / wall.TotalSeconds,
            recorder.PercentileMs(50), recorder.PercentileMs(99), recorder.MaxMs, offered, mostInFlight, store, used);
        LogMeasured(provider, operation, load, result.CallsPerSecond, result.P99Ms, result.FailedCalls);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider}: {Operation}, {Load}, from {Waiting} waiting")]
    private partial void LogStarting(string provider, string operation, string load, int waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider}: {Operation}, {Load}: {CallsPerSecond:F0} calls/s, p99 {P99Ms:F1} ms, {Failed} failed")]
    private partial void LogMeasured(string provider, string operation, string load, double callsPerSecond, double p99Ms, long failed);
}
