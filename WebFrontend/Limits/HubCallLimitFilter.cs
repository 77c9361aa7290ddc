using Microsoft.AspNetCore.SignalR;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// Hub calls per second, whatever the method: per chat session on the customer hub (per connection until
/// one is started or resumed) and per operator account on the operator hub, so that opening more
/// connections buys a flooder nothing. The grains limit chat messages on their own; this catches the
/// calls that are not messages (typing, ratings, accept-next, inbox reads), and stops a flood here,
/// before it costs a grain call. A refused call is a "rate-limited" hub error and changes nothing.
/// </summary>
public sealed class HubCallLimitFilter(SupportLimiters limiters) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var (name, refusal) = invocationContext.Hub switch
        {
            CustomerHub when CustomerHub.BoundSessionId(context) is { } session => ("customer-calls", limiters.CustomerCalls.TryTake(session)),
            CustomerHub => ("customer-calls", limiters.UnboundCustomerCalls.TryTake(context.ConnectionId)),
            OperatorHub => ("operator-calls", limiters.OperatorCalls.TryTake(context.User?.Identity?.Name ?? "")),
            _ => ("", null),
        };

        if (refusal is not null)
        {
            HttpLimits.Count(name);
            // A HubException, like SupportErrorFilter would make of a refusal: this filter may run outside it.
            throw new HubException($"rate-limited: Too many calls at once; please try again {refusal.WaitText}.");
        }

        return next(invocationContext);
    }
}
