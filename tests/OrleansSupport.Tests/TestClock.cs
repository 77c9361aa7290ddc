using System.Collections.Concurrent;

namespace OrleansSupport.Tests;

/// <summary>
/// The support clock of a test cluster: runs like real time from a chosen instant, or stands still at one,
/// so opening hours can be tested at any hour. Orleans' and ASP.NET Core's own clocks are not touched.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private static readonly ConcurrentDictionary<string, TestClock> Registry = new();

    private readonly object _lock = new();
    private DateTimeOffset _anchor;
    private long _realAnchor;
    private bool _frozen;

    private TestClock(DateTimeOffset start) => Run(start);

    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>A running clock at 12:00 Moscow time today, when every queue is open.</summary>
    public static TestClock CreateAtMoscowNoon()
    {
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(3)).Date;
        var clock = new TestClock(new DateTimeOffset(today.AddHours(12), TimeSpan.FromHours(3)));
        Registry[clock.Id] = clock;
        return clock;
    }

    /// <summary>The clock a silo of the cluster with this id should use (silos are built from types only).</summary>
    public static TestClock Get(string id) => Registry[id];

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _frozen ? _anchor : _anchor + GetElapsedTime(_realAnchor);
        }
    }

    /// <summary>Runs on from <paramref name="now"/>.</summary>
    public void Run(DateTimeOffset now)
    {
        lock (_lock)
        {
            (_anchor, _realAnchor, _frozen) = (now, GetTimestamp(), false);
        }
    }

    /// <summary>Stands still at <paramref name="now"/>, for exact boundaries.</summary>
    public void Freeze(DateTimeOffset now)
    {
        lock (_lock)
        {
            (_anchor, _frozen) = (now, true);
        }
    }
}
