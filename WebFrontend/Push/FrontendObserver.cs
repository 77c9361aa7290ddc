using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using OrleansSupport.Push;
using OrleansSupport.Sessions;
using OrleansSupport.WebFrontend.Hubs;
using OrleansSupport.WebFrontend.Queues;
using OrleansSupport.WebFrontend.Sessions;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Receives the silos' push batches and hands each item to the outboxes of the connections of this frontend
/// that it concerns (a session's customer pages, an operator's consoles). Batches are handled one after
/// another in the order they arrived, and each connection's outbox sends in the order it was given, so a
/// chat's message 6 never shows before its message 5; nothing here waits for a connection to take a push.
/// </summary>
public sealed partial class FrontendObserver(
    IHubContext<CustomerHub, ICustomerClient> customers,
    IHubContext<OperatorHub, IOperatorClient> operators,
    QueueNumbers numbers,
    SenderConnections senders,
    CustomerConnections connections,
    OperatorConnections consoles,
    AccountConnections accountConnections,
    ConnectionOutboxes outboxes,
    PageCatchUp catchUp,
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
                Forward(batch);
            }
            catch (Exception ex)
            {
                LogBatchFailed(ex);
            }
        }
    }

    private void Forward(PushBatch batch)
    {
        if (batch.FollowsLoss)
        {
            catchUp.AfterLostPushes();
        }

        numbers.Apply(batch.QueueDeltas);

        foreach (var e in batch.SessionEvents)
        {
            // The connection that sent a message has it already, from its acknowledgement.
            var sender = e.Message is { ClientMessageId: var id } && id != Guid.Empty ? senders.Take(e.SessionId, id) : null;
            ToCustomer(e, sender);
            ToOperator(e, sender);
        }

        foreach (var e in batch.OperatorEvents)
        {
            if (e.Kind == OperatorEventKind.SignedOut)
            {
                // Every connection of the account, started or not; what it had yet to take goes too: it
                // belongs to an ended login.
                foreach (var connection in accountConnections.Of(e.OperatorId))
                {
                    outboxes.Abort(connection);
                }

                continue;
            }

            foreach (var connection in consoles.Of(e.OperatorId))
            {
                var console = operators.Clients.Client(connection);
                outboxes.Send(connection, e.Kind switch
                {
                    OperatorEventKind.ChatAssigned => () => console.ChatAssigned(e.SessionId),
                    OperatorEventKind.ChatEnded => () => console.ChatEnded(e.SessionId),
                    OperatorEventKind.CustomerOffline => () => console.CustomerOffline(e.SessionId),
                    OperatorEventKind.CustomerOnline => () => console.CustomerOnline(e.SessionId),
                    _ => () => Task.CompletedTask,
                });
            }
        }
    }

    private void ToCustomer(SessionEvent e, string? sender)
    {
        Func<ICustomerClient, Task>? push = e.Kind switch
        {
            SessionEventKind.Message => page => page.Message(e.Message!),
            SessionEventKind.Typing when e.TypingParty == MessageAuthor.Operator => page => page.Typing(e.IsTyping),
            SessionEventKind.StatusChanged => page => page.StatusChanged(e.Status),
            _ => null,
        };
        if (e.Kind == SessionEventKind.StatusChanged && e.Status != SessionStatus.Queued)
        {
            numbers.Forget(e.SessionId);
        }

        if (push is not null)
        {
            SendToEach(connections.Of(e.SessionId), sender, id => push(customers.Clients.Client(id)));
        }
    }

    private void ToOperator(SessionEvent e, string? sender)
    {
        Func<IOperatorClient, Task>? push = e.Kind switch
        {
            SessionEventKind.Message => console => console.Message(e.SessionId, e.Message!),
            SessionEventKind.Typing when e.TypingParty == MessageAuthor.Customer => console => console.Typing(e.SessionId, e.IsTyping),
            _ => null,
        };
        if (push is not null && e.OperatorId is not null)
        {
            SendToEach(consoles.Of(e.OperatorId), sender, id => push(operators.Clients.Client(id)));
        }
    }

    private void SendToEach(string[] connectionIds, string? except, Func<string, Task> push)
    {
        foreach (var id in connectionIds)
        {
            if (!string.Equals(id, except, StringComparison.Ordinal))
            {
                outboxes.Send(id, () => push(id));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push batch could not be forwarded")]
    private partial void LogBatchFailed(Exception ex);
}
