namespace OrleansSupport.HotQueueBench;

/// <summary>One measured phase: a kind of call, at a line length, under one load.</summary>
/// <param name="Load">How the calls were sent: "closed, 64 callers" or "open, 5,000/s offered".</param>
/// <param name="WaitingBefore">Waiting when the phase started.</param>
/// <param name="WaitingAfter">Waiting when it ended (joins lengthen the line, dequeues bring it back).</param>
/// <param name="OfferedPerSecond">The open loop's offered rate; null for a closed loop.</param>
/// <param name="MostInFlight">The most calls in flight at once in an open loop: a backlog shows here.</param>
public sealed record PhaseResult(
    string Provider,
    string Operation,
    string Load,
    int WaitingBefore,
    int WaitingAfter,
    long Calls,
    IReadOnlyDictionary<string, int> Failures,
    double Seconds,
    double CallsPerSecond,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    int? OfferedPerSecond,
    long? MostInFlight,
    StoreWriteSummary Store,
    UsageSummary Usage)
{
    public long FailedCalls => Failures.Values.Sum();
}
