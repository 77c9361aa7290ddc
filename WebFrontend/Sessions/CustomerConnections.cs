namespace OrleansSupport.WebFrontend.Sessions;

/// <summary>
/// The customer connections this frontend holds, per session: added when a connection is bound to its
/// session (start or resume), removed when it closes. The one record of who is connected here, whatever
/// the session is doing (browsing, waiting, chatting).
/// </summary>
public sealed class CustomerConnections
{
    private readonly Dictionary<Guid, HashSet<string>> _bySession = [];
    private readonly Lock _lock = new();

    /// <summary>The connection now belongs to the session.</summary>
    public void Add(Guid sessionId, string connectionId)
    {
        lock (_lock)
        {
            if (!_bySession.TryGetValue(sessionId, out var connections))
            {
                _bySession[sessionId] = connections = new HashSet<string>(StringComparer.Ordinal);
            }

            connections.Add(connectionId);
        }
    }

    /// <summary>The connection closed; true when it was the session's last one here.</summary>
    public bool Remove(Guid sessionId, string connectionId)
    {
        lock (_lock)
        {
            if (!_bySession.TryGetValue(sessionId, out var connections) || !connections.Remove(connectionId))
            {
                return false;
            }

            if (connections.Count > 0)
            {
                return false;
            }

            _bySession.Remove(sessionId);
            return true;
        }
    }

    public bool IsConnected(Guid sessionId)
    {
        lock (_lock)
        {
            return _bySession.ContainsKey(sessionId);
        }
    }

    /// <summary>Those of <paramref name="sessionIds"/> with at least one connection here.</summary>
    public Guid[] WhichAreConnected(IReadOnlyCollection<Guid> sessionIds)
    {
        lock (_lock)
        {
            return [.. sessionIds.Where(_bySession.ContainsKey)];
        }
    }
}
