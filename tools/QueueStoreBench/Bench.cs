using System.Diagnostics;

namespace OrleansSupport.QueueStoreBench;

/// <summary>
/// Measures one design at one line length: a join at the tail, a leave from the middle and a dequeue at
/// the head, each written alone, then writes that carry a busy minute's mix (as the queue's group commit
/// gathers them). The line is filled first and kept at about its length throughout.
/// </summary>
public static class Bench
{
    public const string Queue = "en";
    public const string ServiceId = "queue-store-bench";

    private const int WarmUp = 20;
    private const int Fill = 5_000;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A header as large as a busy queue's: 50 recent services and an hour of minutes.</summary>
    public static QueueHeader BusyHeader() => new()
    {
        Sequence = 1_000_000,
        RecentServices = [.. Enumerable.Range(0, 50).Select(i => Start.AddSeconds(i))],
        History = [.. Enumerable.Range(0, 60).Select(i => new QueueMinute { Start = Start.AddMinutes(i), Waiting = 50_000, Served = 1_200, Abandoned = 40 })],
    };

    public static async Task<List<Measurement>> RunAsync(IQueueDesign design, string provider, int waiting, int changes, int batch)
    {
        var time = Start;
        void Join() => design.Join(Guid.NewGuid(), time = time.AddTicks(TimeSpan.TicksPerMillisecond));

        for (var filled = 0; filled < waiting; filled += Fill)
        {
            for (var i = filled; i < Math.Min(waiting, filled + Fill); i++)
            {
                Join();
            }

            await design.WriteAsync();
        }

        var joins = new List<(double, long)>();
        var leaves = new List<(double, long)>();
        var dequeues = new List<(double, long)>();
        for (var i = 0; i < WarmUp + changes; i++)
        {
            var measured = i >= WarmUp;
            await TimedAsync(design, Join, measured ? joins : null);
            await TimedAsync(design, () => design.RemoveAt(design.Count / 2), measured ? leaves : null);
            await TimedAsync(design, () => design.RemoveAt(0), measured ? dequeues : null);
            await TimedAsync(design, Join, null); // back to the length measured
        }

        // Arrivals and services in one write: the line keeps its length.
        var mixed = new List<(double, long)>();
        for (var i = 0; i < changes / 10; i++)
        {
            await TimedAsync(design, () =>
            {
                for (var c = 0; c < batch / 2; c++)
                {
                    Join();
                    design.RemoveAt(0);
                }
            }, mixed);
        }

        return
        [
            Measurement.Of(provider, waiting, "join at the tail", design.Name, 1, joins),
            Measurement.Of(provider, waiting, "leave from the middle", design.Name, 1, leaves),
            Measurement.Of(provider, waiting, "dequeue at the head", design.Name, 1, dequeues),
            Measurement.Of(provider, waiting, "joins and dequeues", design.Name, batch / 2 * 2, mixed),
        ];
    }

    private static async Task TimedAsync(IQueueDesign design, Action change, List<(double, long)>? into)
    {
        var started = Stopwatch.GetTimestamp();
        change();
        var bytes = await design.WriteAsync();
        into?.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, bytes));
    }
}
