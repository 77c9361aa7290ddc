using Microsoft.AspNetCore.SignalR;
using OrleansSupport.Push;
using OrleansSupport.Sessions;
using OrleansSupport.WebFrontend.Hubs;
using OrleansSupport.WebFrontend.Queues;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Receives the silos' push batches and forwards each item to the connections of this frontend that it
/// concerns (SignalR groups per session and per operator; a group with no member here costs nothing).
/// </summary>
public sealed partial class FrontendObserver(
    IHubContext<CustomerHub, ICustomerClient> customers,
    IHubContext<OperatorHub, IOperatorClient> operators,
    QueueReplicas replicas,
    LocalWaiters waiters,
    ILogger<FrontendObserver> logger) : IFrontendObserver
{
    public async Task Deliver(PushBatch batch)
    {
        foreach (var delta in batch.QueueDeltas)
        {
            replicas.Apply(delta);
        }

        foreach (var e in batch.SessionEvents)
        {
            await ForwardAsync(e, () => ToCustomerAsync(e));
            await ForwardAsync(e, () => ToOperatorAsync(e));
        }

        foreach (var e in batch.OperatorEvents)
        {
            var group = operators.Clients.Group(OperatorHub.GroupOf(e.OperatorId));
            await (e.Kind == OperatorEventKind.ChatAssigned ? group.ChatAssigned(e.SessionId) : group.ChatEnded(e.SessionId));
        }
    }

    private Task ToCustomerAsync(SessionEvent e)
    {
        var customer = customers.Clients.Group(CustomerHub.GroupOf(e.SessionId));
        switch (e.Kind)
        {
            case SessionEventKind.Message:
                return customer.Message(e.Message!);
            case SessionEventKind.Typing when e.TypingParty == MessageAuthor.Operator:
                return customer.Typing(e.IsTyping);
            case SessionEventKind.StatusChanged:
                if (e.Status != SessionStatus.Queued)
                {
                    waiters.Forget(e.SessionId);
                }

                return customer.StatusChanged(e.Status);
            default:
                return Task.CompletedTask;
        }
    }

    private Task ToOperatorAsync(SessionEvent e)
    {
        if (e.OperatorId is null)
        {
            return Task.CompletedTask;
        }

        var op = operators.Clients.Group(OperatorHub.GroupOf(e.OperatorId));
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push for session {SessionId} could not be forwarded")]
    private partial void LogForwardFailed(Exception ex, Guid sessionId);
}
