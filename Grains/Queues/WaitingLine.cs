using System.Collections.Immutable;

namespace OrleansSupport.Queues;

/// <summary>
/// The in-memory order of one queue: by waiting time, ties in arrival order. A customer who comes back
/// with an earlier waiting time (an assignment that failed, a transfer) goes back to their place.
/// It also remembers which customers changed since <see cref="TakeChanges"/>, so a write stores those
/// and not the whole line.
/// </summary>
/// <remarks>
/// A balanced tree that knows its subtrees' sizes finds a customer's index, and the customer at an index,
/// in O(log n), where a list needs a scan or a shift; being immutable, <see cref="Order"/> is also a
/// snapshot that stays as it was while the line goes on.
/// </remarks>
public sealed class WaitingLine
{
    private static readonly IComparer<WaitingEntry> ServingOrder = Comparer<WaitingEntry>.Create(static (a, b) =>
    {
        var byTime = a.WaitingSince.UtcTicks.CompareTo(b.WaitingSince.UtcTicks);
        return byTime != 0 ? byTime : a.Arrival.CompareTo(b.Arrival);
    });

    private readonly Dictionary<Guid, WaitingEntry> _bySession;

    /// <summary>Customers changed since the last <see cref="TakeChanges"/>: each one's entry then (null: not there).</summary>
    private readonly Dictionary<Guid, WaitingEntry?> _changed = [];

    private ImmutableSortedSet<WaitingEntry> _order;
    private long _nextArrival;

    public WaitingLine(IEnumerable<WaitingEntry> stored)
    {
        _order = ImmutableSortedSet.CreateRange(ServingOrder, stored);
        _bySession = _order.ToDictionary(e => e.SessionId);
        _nextArrival = _order.Count > 0 ? _order.Max(e => e.Arrival) + 1 : 1;
    }

    public int Count => _order.Count;

    /// <summary>The line in serving order, as of now; later changes do not show in it.</summary>
    public ImmutableSortedSet<WaitingEntry> Order => _order;

    public WaitingEntry this[int index] => _order[index];

    /// <summary>The 0-based index of the customer, or -1.</summary>
    public int IndexOf(Guid sessionId) =>
        _bySession.TryGetValue(sessionId, out var entry) ? _order.IndexOf(entry) : -1;

    /// <summary>Inserts after everyone who has waited as long or longer; returns the index.</summary>
    public int Insert(Guid sessionId, DateTimeOffset waitingSince)
    {
        if (_bySession.ContainsKey(sessionId))
        {
            throw new InvalidOperationException($"{sessionId} is already waiting.");
        }

        var entry = new WaitingEntry(sessionId, waitingSince, _nextArrival++);
        _changed.TryAdd(sessionId, null);
        _order = _order.Add(entry);
        _bySession.Add(sessionId, entry);
        return _order.IndexOf(entry);
    }

    public WaitingEntry RemoveAt(int index)
    {
        var entry = _order[index];
        _changed.TryAdd(entry.SessionId, entry);
        _order = _order.Remove(entry);
        _bySession.Remove(entry.SessionId);
        return entry;
    }

    /// <summary>
    /// What changed since the last call, netted: the entries that were there then and are not now, and
    /// those there now that were not. A customer who came and went in between is in neither; one who left
    /// and came back is in both (their arrival number is new).
    /// </summary>
    public (WaitingEntry[] Added, WaitingEntry[] Removed) TakeChanges()
    {
        var added = new List<WaitingEntry>();
        var removed = new List<WaitingEntry>();
        foreach (var (sessionId, before) in _changed)
        {
            WaitingEntry? now = _bySession.TryGetValue(sessionId, out var entry) ? entry : null;
            if (before == now)
            {
                continue;
            }

            if (before is { } gone)
            {
                removed.Add(gone);
            }

            if (now is { } come)
            {
                added.Add(come);
            }
        }

        _changed.Clear();
        return ([.. added], [.. removed]);
    }
}
