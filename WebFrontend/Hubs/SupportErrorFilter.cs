using Microsoft.AspNetCore.SignalR;

namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// Turns refusals (<see cref="SupportException"/>) into hub errors the client can show, and anything
/// else into a generic one: a client never sees a stack trace, and nothing it sends can crash the host.
/// </summary>
public sealed partial class SupportErrorFilter(ILogger<SupportErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (SupportException ex)
        {
            throw new HubException($"{ex.Code}: {ex.Message}");
        }
        catch (HubException)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogFailed(ex, invocationContext.HubMethodName);
            throw new HubException("unavailable: The request could not be completed; please try again.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    private partial void LogFailed(Exception ex, string method);
}
