using Microsoft.AspNetCore.SignalR;
using OrleansSupport.WebFrontend.Push;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// A hub call whose silo went away answers "unavailable" at once instead of after Orleans' 30 s response
/// timeout, so the page retries (a message with the same id, stored once) as soon as the cluster is back.
/// A gateway that closes fails every call in flight, also those through another gateway: the retry of a
/// call that did complete is answered from what it stored.
/// </summary>
public sealed class GatewayLossFilter(ClusterConnectionWatch watch) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var lost = watch.GatewayLost;
        var call = next(invocationContext).AsTask();
        try
        {
            return await call.WaitAsync(lost);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // The abandoned call ends with Orleans' timeout; observe its failure so it is not reported unobserved.
            _ = call.ContinueWith(static c => c.Exception, TaskContinuationOptions.OnlyOnFaulted);
            throw new HubException("unavailable: The service restarted while handling this request; please try again.");
        }
    }
}
