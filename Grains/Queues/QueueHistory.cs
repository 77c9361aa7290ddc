namespace OrleansSupport.Queues;

/// <summary>A queue's last hour, one entry per minute that saw activity, for the supervisors' charts.</summary>
public sealed class QueueHistory(List<QueueMinute> minutes)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly List<QueueMinute> _minutes = [.. minutes];

    /// <summary>The entry of the minute <paramref name="now"/> falls in; older than an hour is dropped.</summary>
    public QueueMinute Current(DateTimeOffset now)
    {
        var start = MinuteOf(now);
        if (_minutes.Count > 0 && _minutes[^1].Start == start)
        {
            return _minutes[^1];
        }

        var waiting = _minutes.Count > 0 ? _minutes[^1].Waiting : 0;
        var minute = new QueueMinute { Start = start, Waiting = waiting };
        _minutes.Add(minute);
        _minutes.RemoveAll(m => now - m.Start > Hour);
        return minute;
    }

    /// <summary>Sixty minutes ending with the current one; a quiet minute keeps the line's last length.</summary>
    public List<QueueMinute> LastHour(DateTimeOffset now)
    {
        var end = MinuteOf(now);
        var result = new List<QueueMinute>(60);
        var waiting = 0;
        for (var i = 59; i >= 0; i--)
        {
            var start = end.AddMinutes(-i);
            var seen = _minutes.Find(m => m.Start == start);
            waiting = seen?.Waiting ?? waiting;
            result.Add(new QueueMinute { Start = start, Waiting = waiting, Served = seen?.Served ?? 0, Abandoned = seen?.Abandoned ?? 0 });
        }

        return result;
    }

    /// <summary>A copy for a snapshot write: storage may serialize it while the grain goes on.</summary>
    public List<QueueMinute> Copy() =>
        [.. _minutes.Select(m => new QueueMinute { Start = m.Start, Waiting = m.Waiting, Served = m.Served, Abandoned = m.Abandoned })];

    private static DateTimeOffset MinuteOf(DateTimeOffset time) =>
        new(time.UtcDateTime.Ticks - (time.UtcDateTime.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}
