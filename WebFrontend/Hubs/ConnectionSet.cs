namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// The connections this frontend holds per party (a customer's session, an operator): added when a
/// connection is bound to its party, removed when it closes. Pushes are sent to these connections, and
/// the frontend answers from here which parties it holds.
/// </summary>
public class ConnectionSet<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, HashSet<string>> _byParty = [];
    private readonly Lock _lock = new();
    private int _connections;

    /// <summary>How many connections are bound here, over every party.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _connections;
            }
        }
    }

    /// <summary>The connection now belongs to the party.</summary>
    public void Add(TKey party, string connectionId)
    {
        lock (_lock)
        {
            if (!_byParty.TryGetValue(party, out var connections))
            {
                _byParty[party] = connections = new HashSet<string>(StringComparer.Ordinal);
            }

            if (connections.Add(connectionId))
            {
                _connections++;
            }
        }
    }

    /// <summary>The connection closed; true when it was the party's last one here.</summary>
    public bool Remove(TKey party, string connectionId)
    {
        lock (_lock)
        {
            if (!_byParty.TryGetValue(party, out var connections) || !connections.Remove(connectionId))
            {
                return false;
            }

            _connections--;
            if (connections.Count > 0)
            {
                return false;
            }

            _byParty.Remove(party);
            return true;
        }
    }

    /// <summary>The party's connections here, a copy (empty when none).</summary>
    public string[] Of(TKey party)
    {
        lock (_lock)
        {
            return _byParty.TryGetValue(party, out var connections) ? [.. connections] : [];
        }
    }

    /// <summary>True when <paramref name="connectionId"/> is the party's only connection here.</summary>
    public bool IsOnlyConnection(TKey party, string connectionId)
    {
        lock (_lock)
        {
            return _byParty.TryGetValue(party, out var connections) && connections.Count == 1 && connections.Contains(connectionId);
        }
    }

    /// <summary>Those of <paramref name="parties"/> with at least one connection here.</summary>
    public TKey[] WhichAreConnected(IReadOnlyCollection<TKey> parties)
    {
        lock (_lock)
        {
            return [.. parties.Where(_byParty.ContainsKey)];
        }
    }
}
