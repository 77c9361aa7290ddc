using OrleansSupport.Presence;

namespace OrleansSupport.Queues;

/// <summary>
/// The waiters of one queue whose customer has no connection on any frontend, since when, and who of them has
/// been gone past the grace. Owned by the queue and kept in memory only: an activation starts by taking
/// everyone for present, which at worst gives the gone one more grace. No timer per waiter: the queue sweeps
/// the whole line now and then (<see cref="StartSweep"/>, ask <see cref="CustomerPresence"/>,
/// <see cref="FinishSweep"/>).
/// </summary>
/// <remarks>
/// An away waiter keeps their place but is not handed to an operator, so a customer reloading the page loses
/// nothing while a gone one blocks nobody. Only a conclusive answer makes anyone away; being found connected,
/// or calling the queue, makes them present at once. The line changes while the frontends are asked (the
/// queue is reentrant), so a sweep concerns only the waiters it started with that neither left nor called
/// meanwhile: an answer from before a customer's call says nothing about them.
/// </remarks>
public sealed class AwayWaiters(TimeSpan grace, TimeSpan passOverAfter = default)
{
    /// <summary>A waiter past the grace who is still in the line is asked to leave again after this.</summary>
    public static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(10);

    private readonly Dictionary<Guid, Away> _away = [];
    private HashSet<Guid>? _sweeping;

    public int Count => _away.Count;

    /// <summary>Keeps their place, but is not to be handed to an operator.</summary>
    public bool IsAway(Guid sessionId) => _away.ContainsKey(sessionId);

    /// <summary>Away for <c>passOverAfter</c> or longer: not to be handed to an operator now.</summary>
    public bool IsPassedOver(Guid sessionId, DateTimeOffset now) =>
        _away.TryGetValue(sessionId, out var away) && now - away.Since >= passOverAfter;

    /// <summary>The index in <paramref name="order"/> of the first waiter who may be served now; -1 if none.</summary>
    public int FirstServable(IEnumerable<Guid> order, DateTimeOffset now)
    {
        var index = 0;
        foreach (var sessionId in order)
        {
            if (_away.Count == 0 || !IsPassedOver(sessionId, now))
            {
                return index;
            }

            index++;
        }

        return -1;
    }

    /// <summary>Since when the waiter has been away, or null.</summary>
    public DateTimeOffset? AwaySince(Guid sessionId) => _away.TryGetValue(sessionId, out var away) ? away.Since : null;

    /// <summary>
    /// The customer called the queue themselves (Enqueue, GetPlace), so they are here whatever the last sweep
    /// said. True when they were away: an idle operator may now take them.
    /// </summary>
    public bool CustomerCalled(Guid sessionId)
    {
        _sweeping?.Remove(sessionId);
        return _away.Remove(sessionId);
    }

    /// <summary>The waiter is no longer in the line (taken, left, moved).</summary>
    public void Left(Guid sessionId)
    {
        _sweeping?.Remove(sessionId);
        _away.Remove(sessionId);
    }

    /// <summary>
    /// Begins a sweep of <paramref name="waiting"/> (the whole line now) and returns whom to ask about. One sweep
    /// at a time: starting another abandons the unfinished one.
    /// </summary>
    public Guid[] StartSweep(IEnumerable<Guid> waiting)
    {
        _sweeping = [.. waiting];

        // Whoever left without a call to Left is forgotten here, so no entry outlives its place in the line.
        foreach (var sessionId in _away.Keys.Where(id => !_sweeping.Contains(id)).ToList())
        {
            _away.Remove(sessionId);
        }

        return [.. _sweeping];
    }

    /// <summary>
    /// Applies the frontends' answer, as of <paramref name="now"/>, to the waiters of the sweep still in the line.
    /// An inconclusive answer only brings back those found connected.
    /// </summary>
    public AwaySweep FinishSweep(PresenceAnswer answer, DateTimeOffset now)
    {
        if (_sweeping is not { } sweeping)
        {
            return AwaySweep.Nothing;
        }

        _sweeping = null;
        var returned = new List<Guid>();
        var toLeave = new List<(Guid SessionId, DateTimeOffset AwaySince)>();
        foreach (var sessionId in sweeping)
        {
            if (answer.IsConnected(sessionId))
            {
                if (_away.Remove(sessionId))
                {
                    returned.Add(sessionId);
                }
            }
            else if (answer.IsGone(sessionId))
            {
                if (!_away.TryGetValue(sessionId, out var away))
                {
                    _away[sessionId] = new Away(now, AskedAt: null);
                }
                else if (now - away.Since >= grace && (away.AskedAt is not { } asked || now - asked >= AskAgainAfter))
                {
                    _away[sessionId] = away with { AskedAt = now };
                    toLeave.Add((sessionId, away.Since));
                }
            }
        }

        return new AwaySweep(returned, toLeave);
    }

    private readonly record struct Away(DateTimeOffset Since, DateTimeOffset? AskedAt);
}
