using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using OrleansSupport.Push;
using OrleansSupport.Sessions;
using OrleansSupport.WebFrontend.Hubs;
using OrleansSupport.WebFrontend.Queues;
using OrleansSupport.WebFrontend.Sessions;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Receives the silos' push batches and forwards each item to the connections of this frontend that it
/// concerns (SignalR groups per session and per operator; a group with no member here costs nothing).
/// Batches are forwarded one after another in the order they arrived: Deliver is a one-way call, and
/// handling two at once could show a chat's message 6 before its message 5.
/// </summary>
public sealed partial class FrontendObserver(
    IHubContext<CustomerHub, ICustomerClient> customers,
    IHubContext<OperatorHub, IOperatorClient> operators,
    QueueNumbers numbers,
    SenderConnections senders,
    CustomerConnections connections,
    ILogger<FrontendObserver> logger) : IFrontendObserver
{
    private readonly Channel<PushBatch> _inbox = Channel.CreateUnbounded<PushBatch>(new UnboundedChannelOptions { SingleReader = true });
    private int _forwarding;

    public Task Deliver(PushBatch batch)
    {
        _inbox.Writer.TryWrite(batch);
        if (Interlocked.CompareExchange(ref _forwarding, 1, 0) == 0)
        {
            _ = Task.Run(ForwardInOrderAsync);
        }

        return Task.CompletedTask;
    }

    /// <summary>No grain call and no await: the silo waits on this answer, and the record is in memory.</summary>
    public Task<Guid[]> WhichAreConnected(Guid[] sessionIds) => Task.FromResult(connections.WhichAreConnected(sessionIds));

    /// <summary>The one reader of the inbox, for the life of the frontend.</summary>
    private async Task ForwardInOrderAsync()
    {
        await foreach (var batch in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                await ForwardBatchAsync(batch);
            }
            catch (Exception ex)
            {
                LogBatchFailed(ex);
            }
        }
    }

    private async Task ForwardBatchAsync(PushBatch batch)
    {
        numbers.Apply(batch.QueueDeltas);

        foreach (var e in batch.SessionEvents)
        {
            // The connection that sent a message has it already, from its acknowledgement.
            IReadOnlyList<string> sender = e.Message is { ClientMessageId: var id } && id != Guid.Empty && senders.Take(e.SessionId, id) is { } connection
                ? [connection]
                : [];
            await ForwardAsync(e, () => ToCustomerAsync(e, sender));
            await ForwardAsync(e, () => ToOperatorAsync(e, sender));
        }

        foreach (var e in batch.OperatorEvents)
        {
            var group = operators.Clients.Group(OperatorHub.GroupOf(e.OperatorId));
            await (e.Kind switch
            {
                OperatorEventKind.ChatAssigned => group.ChatAssigned(e.SessionId),
                OperatorEventKind.ChatEnded => group.ChatEnded(e.SessionId),
                OperatorEventKind.CustomerOffline => group.CustomerOffline(e.SessionId),
                OperatorEventKind.CustomerOnline => group.CustomerOnline(e.SessionId),
                _ => Task.CompletedTask,
            });
        }
    }

    private Task ToCustomerAsync(SessionEvent e, IReadOnlyList<string> sender)
    {
        var customer = customers.Clients.GroupExcept(CustomerHub.GroupOf(e.SessionId), sender);
        switch (e.Kind)
        {
            case SessionEventKind.Message:
                return customer.Message(e.Message!);
            case SessionEventKind.Typing when e.TypingParty == MessageAuthor.Operator:
                return customer.Typing(e.IsTyping);
            case SessionEventKind.StatusChanged:
                if (e.Status != SessionStatus.Queued)
                {
                    numbers.Forget(e.SessionId);
                }

                return customer.StatusChanged(e.Status);
            default:
                return Task.CompletedTask;
        }
    }

    private Task ToOperatorAsync(SessionEvent e, IReadOnlyList<string> sender)
    {
        if (e.OperatorId is null)
        {
            return Task.CompletedTask;
        }

        var op = operators.Clients.GroupExcept(OperatorHub.GroupOf(e.OperatorId), sender);
        return e.Kind switch
        {
            SessionEventKind.Message => op.Message(e.SessionId, e.Message!),
            SessionEventKind.Typing when e.TypingParty == MessageAuthor.Customer => op.Typing(e.SessionId, e.IsTyping),
            _ => Task.CompletedTask,
        };
    }

    private async Task ForwardAsync(SessionEvent e, Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (Exception ex)
        {
            // One broken connection must not stop the rest of the batch.
            LogForwardFailed(ex, e.SessionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push batch could not be forwarded")]
    private partial void LogBatchFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push for session {SessionId} could not be forwarded")]
    private partial void LogForwardFailed(Exception ex, Guid sessionId);
}
