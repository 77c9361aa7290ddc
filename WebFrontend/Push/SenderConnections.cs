using System.Collections.Concurrent;
using OrleansSupport.Push;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Which connection of this frontend sent each chat message still on its way, so the message's push skips
/// that connection: it already has the message from its acknowledgement (pages add both, by sequence).
/// That is one SignalR frame less per message, on the busiest path. Other tabs of the same chat still get
/// the push. An entry whose push never comes (a retried send, a failure) is swept after a minute.
/// </summary>
public sealed class SenderConnections
{
    private static readonly TimeSpan Forgotten = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(Guid SessionId, Guid ClientMessageId), (string ConnectionId, long At)> _senders = new();
    private int _sinceSweep;

    /// <summary>
    /// Sends a message from <paramref name="connectionId"/>, remembered before the send so that its push,
    /// which may arrive before the acknowledgement, already knows whom to skip. When the sender is its side's
    /// <paramref name="onlyConnectionHere"/>, the session is told so, and sends this frontend no push of it for that side.
    /// </summary>
    public async Task<T> SendingAsync<T>(Guid sessionId, Guid clientMessageId, string connectionId, bool onlyConnectionHere, Func<Task<T>> send)
    {
        if (onlyConnectionHere)
        {
            RequestContext.Set(CallingFrontend.SenderAloneKey, true); // this call's context only: the method is async
        }

        var key = (sessionId, clientMessageId);
        _senders[key] = (connectionId, TimeProvider.System.GetTimestamp());
        if (Interlocked.Increment(ref _sinceSweep) % 4096 == 0)
        {
            Sweep();
        }

        try
        {
            return await send();
        }
        catch
        {
            _senders.TryRemove(key, out _); // refused: no push will come
            throw;
        }
    }

    /// <summary>The connection that sent this message here, if any; asked once per message.</summary>
    public string? Take(Guid sessionId, Guid clientMessageId) =>
        _senders.TryRemove((sessionId, clientMessageId), out var sender) ? sender.ConnectionId : null;

    private void Sweep()
    {
        foreach (var (key, sender) in _senders)
        {
            if (TimeProvider.System.GetElapsedTime(sender.At) > Forgotten)
            {
                _senders.TryRemove(key, out _);
            }
        }
    }
}
