using System.Collections.Concurrent;

namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// The waiting customers connected to this frontend, with the number each was last shown. Only these
/// get queue-number pushes from here; other frontends serve their own.
/// </summary>
public sealed class LocalWaiters(TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, Waiter> _waiters = new();

    public sealed class Waiter(string language, int shownPosition, DateTimeOffset shownAt)
    {
        public string Language { get; } = language;
        public int ShownPosition { get; set; } = shownPosition;
        public DateTimeOffset ShownAt { get; set; } = shownAt;
        public int Connections { get; set; } = 1;
    }

    public bool IsEmpty => _waiters.IsEmpty;

    /// <summary>A connection of this customer waits in the queue; they were just shown <paramref name="place"/>.</summary>
    public void Watch(Guid sessionId, QueuePlace place)
    {
        var now = clock.GetUtcNow();
        _waiters.AddOrUpdate(
            sessionId,
            _ => new Waiter(place.Language, place.Position, now),
            (_, w) =>
            {
                lock (w)
                {
                    w.Connections++;
                    w.ShownPosition = place.Position;
                    w.ShownAt = now;
                }

                return w;
            });
    }

    /// <summary>A connection closed; the customer is forgotten here when their last one has.</summary>
    public void Unwatch(Guid sessionId)
    {
        if (_waiters.TryGetValue(sessionId, out var w))
        {
            lock (w)
            {
                if (--w.Connections > 0)
                {
                    return;
                }
            }

            _waiters.TryRemove(sessionId, out _);
        }
    }

    /// <summary>The customer is no longer waiting (served or gone).</summary>
    public void Forget(Guid sessionId) => _waiters.TryRemove(sessionId, out _);

    public IEnumerable<IGrouping<string, KeyValuePair<Guid, Waiter>>> ByLanguage() =>
        _waiters.GroupBy(w => w.Value.Language, StringComparer.Ordinal);
}
