using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.SignalR;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// The chat pushes one connection has yet to take, sent one after another in the order they were handed
/// over. The frontend's push loop only hands them over, so it never waits for a connection: a connection
/// that stops reading (a frozen tab, a stalled network) fills its socket and pipe, then its pushes wait
/// here, and once more than <see cref="MaxWaiting"/> wait it is closed and they are dropped. Its page
/// reconnects and resumes after the last sequence number it has, so it loses nothing, and no other
/// connection waited for it.
/// </summary>
public sealed partial class ConnectionOutbox(HubCallerContext connection, Action closedAsSlow, ILogger logger)
{
    /// <summary>Pushes of a few KB at most each: a stalled connection holds well under a megabyte here.</summary>
    public const int MaxWaiting = 100;

    private readonly Lock _lock = new();
    private Task _last = Task.CompletedTask;
    private int _waiting;
    private bool _closed;

    public void Send(Func<Task> push)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            if (Volatile.Read(ref _waiting) >= MaxWaiting)
            {
                _closed = true;
                LogClosedSlowReader(connection.ConnectionId, MaxWaiting);
                connection.Abort();
                closedAsSlow();
                return;
            }

            Interlocked.Increment(ref _waiting);
            _last = _last.IsCompleted ? SendNowAsync(push) : SendAfterAsync(_last, push);
        }
    }

    /// <summary>Closes the connection now; nothing more is sent to it.</summary>
    public void Abort()
    {
        lock (_lock)
        {
            _closed = true;
        }

        connection.Abort();
    }

    private async Task SendAfterAsync(Task previous, Func<Task> push)
    {
        await previous; // never fails: SendNowAsync catches
        await SendNowAsync(push);
    }

    private async Task SendNowAsync(Func<Task> push)
    {
        try
        {
            await push();
        }
        catch (Exception ex)
        {
            LogPushFailed(ex, connection.ConnectionId);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} closed: more than {Waiting} pushes waited for it to read")]
    private partial void LogClosedSlowReader(string connectionId, int waiting);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A push to connection {ConnectionId} failed")]
    private partial void LogPushFailed(Exception ex, string connectionId);
}

/// <summary>
/// The outbox of each connection bound to a session or connected to the operator hub on this frontend. Connections
/// closed for not reading are counted (support.slow_readers_closed).
/// </summary>
public sealed class ConnectionOutboxes(ILogger<ConnectionOutbox> logger)
{
    private static readonly Meter Meter = new("OrleansSupport");
    private static readonly Counter<long> SlowReaders =
        Meter.CreateCounter<long>("support.slow_readers_closed", description: "Connections closed because their pushes piled up unread");

    private readonly ConcurrentDictionary<string, ConnectionOutbox> _outboxes = new(StringComparer.Ordinal);
    private long _closedAsSlow;

    /// <summary>Connections of this frontend closed so far because their pushes piled up unread.</summary>
    public long ClosedAsSlow => Interlocked.Read(ref _closedAsSlow);

    public void Open(HubCallerContext connection) =>
        _outboxes.TryAdd(connection.ConnectionId, new ConnectionOutbox(connection, CountClosedAsSlow, logger));

    private void CountClosedAsSlow()
    {
        Interlocked.Increment(ref _closedAsSlow);
        SlowReaders.Add(1);
    }

    public void Close(string connectionId) => _outboxes.TryRemove(connectionId, out _);

    /// <summary>Closes the connection at once (its login ended); nothing when it has no outbox.</summary>
    public void Abort(string connectionId)
    {
        if (_outboxes.TryGetValue(connectionId, out var outbox))
        {
            outbox.Abort();
        }
    }

    /// <summary>Hands <paramref name="push"/> to the connection's outbox; nothing when it has none (closed meanwhile).</summary>
    public void Send(string connectionId, Func<Task> push)
    {
        if (_outboxes.TryGetValue(connectionId, out var outbox))
        {
            outbox.Send(push);
        }
    }
}
