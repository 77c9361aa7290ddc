using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OrleansSupport.Telemetry;

/// <summary>
/// OrleansSupport's own metrics (meter "OrleansSupport"), exported with Orleans' and ASP.NET Core's by
/// OpenTelemetry: queue length, waiting time, assignments, abandoned waits and messages.
/// </summary>
public static class SupportMetrics
{
    public const string MeterName = "OrleansSupport";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Each silo reports the queues active on it; an entry leaves with its activation.</summary>
    private static readonly ConcurrentDictionary<string, int> QueueLengths = new(StringComparer.Ordinal);

    public static readonly Counter<long> Assignments =
        Meter.CreateCounter<long>("support.assignments", description: "Customers taken by an operator");

    public static readonly Counter<long> Abandoned =
        Meter.CreateCounter<long>("support.queue.abandoned", description: "Customers who left the queue before an operator came");

    public static readonly Counter<long> Messages =
        Meter.CreateCounter<long>("support.messages", description: "Chat messages stored");

    public static readonly Histogram<double> WaitSeconds =
        Meter.CreateHistogram<double>("support.queue.wait", unit: "s", description: "From joining the queue to being taken by an operator");

    private const string QueueWriteSizeName = "support.queue.write.size";

    public static readonly Histogram<long> QueueWriteBytes =
        Meter.CreateHistogram<long>(QueueWriteSizeName, unit: "By", description: "What one write of a queue sends to the database: its parameters' bytes");

    static SupportMetrics()
    {
        Meter.CreateObservableGauge(
            "support.queue.length",
            () => QueueLengths.Select(q => new Measurement<int>(q.Value, new KeyValuePair<string, object?>("language", q.Key))),
            description: "Customers waiting, per language");
    }

    public static KeyValuePair<string, object?> Language(string language) => new("language", language);

    public static void ReportQueueLength(string language, int waiting) => QueueLengths[language] = waiting;

    public static void ForgetQueue(string language) => QueueLengths.TryRemove(language, out _);

    /// <summary>
    /// Calls <paramref name="written"/> with the language and size of every queue write in this process
    /// until disposed: how the storage benchmark and the tests see what a change sends.
    /// </summary>
    public static IDisposable ListenToQueueWrites(Action<string, long> written)
    {
        var listener = new MeterListener
        {
            // By name: this may run while the instruments above are still being created.
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MeterName && instrument.Name == QueueWriteSizeName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, bytes, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "language", Value: string language })
                {
                    written(language, bytes);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
