using System.Collections.Concurrent;

namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// The waiting customers connected to this frontend, with the number each was last shown. Only these
/// get queue-number pushes from here; other frontends serve their own.
/// </summary>
public sealed class LocalWaiters
{
    private readonly ConcurrentDictionary<Guid, Waiter> _waiters = new();

    public sealed class Waiter(string language, int shownPosition, DateTimeOffset shownAt)
    {
        /// <summary>Changes when the customer moves to a fallback queue.</summary>
        public string Language { get; set; } = language;

        /// <summary>Told that their queue closed, so they are told once, not on every tick.</summary>
        public bool ToldClosed { get; set; }
        public int ShownPosition { get; set; } = shownPosition;
        public DateTimeOffset ShownAt { get; set; } = shownAt;
        public HashSet<string> Connections { get; } = new(StringComparer.Ordinal);

        /// <summary>Set under the lock when the entry leaves the map; a racing Watch then starts a new one.</summary>
        public bool Removed { get; set; }
    }

    public bool IsEmpty => _waiters.IsEmpty;

    /// <summary>A connection of this customer waits in the queue; they were just shown <paramref name="place"/>.</summary>
    public void Watch(Guid sessionId, string connectionId, QueuePlace place)
    {
        var now = TimeProvider.System.GetUtcNow();
        while (true)
        {
            var waiter = _waiters.GetOrAdd(sessionId, _ => new Waiter(place.Language, place.Position, now));
            lock (waiter)
            {
                if (waiter.Removed)
                {
                    continue;
                }

                waiter.Connections.Add(connectionId);
                if (waiter.Language != place.Language)
                {
                    waiter.Language = place.Language;
                    waiter.ToldClosed = false;
                }

                waiter.ShownPosition = place.Position;
                waiter.ShownAt = now;
                return;
            }
        }
    }

    /// <summary>A connection closed; the customer is forgotten here when their last one has.</summary>
    public void Unwatch(Guid sessionId, string connectionId)
    {
        if (_waiters.TryGetValue(sessionId, out var waiter))
        {
            lock (waiter)
            {
                waiter.Connections.Remove(connectionId);
                if (waiter.Connections.Count == 0)
                {
                    Remove(sessionId, waiter);
                }
            }
        }
    }

    /// <summary>The customer is no longer waiting (served or gone).</summary>
    public void Forget(Guid sessionId)
    {
        if (_waiters.TryGetValue(sessionId, out var waiter))
        {
            lock (waiter)
            {
                Remove(sessionId, waiter);
            }
        }
    }

    private void Remove(Guid sessionId, Waiter waiter)
    {
        waiter.Removed = true;
        _waiters.TryRemove(KeyValuePair.Create(sessionId, waiter));
    }

    public IEnumerable<IGrouping<string, KeyValuePair<Guid, Waiter>>> ByLanguage() =>
        _waiters.GroupBy(w => w.Value.Language, StringComparer.Ordinal);
}
