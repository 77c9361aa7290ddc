using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// Every operator hub connection of this frontend by account, from the moment it connects (before it
/// starts work and joins <see cref="OperatorConnections"/>), so that a sign-out, a password change or a
/// disabled account closes all of them at once, not only the consoles that started work.
/// </summary>
public sealed class AccountConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byAccount = new(StringComparer.Ordinal);

    public void Add(string userName, HubCallerContext connection) =>
        _byAccount.GetOrAdd(userName, _ => new(StringComparer.Ordinal))[connection.ConnectionId] = connection;

    public void Remove(string userName, string connectionId)
    {
        if (_byAccount.TryGetValue(userName, out var connections) && connections.TryRemove(connectionId, out _) && connections.IsEmpty)
        {
            // Another connection of the account may be added meanwhile: remove the set only if it is still empty.
            _byAccount.TryRemove(KeyValuePair.Create(userName, connections));
        }
    }

    /// <summary>Closes every connection of the account; each leaves through OnDisconnectedAsync as usual.</summary>
    public void AbortAll(string userName)
    {
        if (_byAccount.TryGetValue(userName, out var connections))
        {
            foreach (var connection in connections.Values)
            {
                connection.Abort();
            }
        }
    }
}
